import { Redis } from '@alert-exchange/platform';
import { testStack, waitFor } from '@alert-exchange/testing';
import { call, enrol, example, type Member } from './api-client.test-helper';
import { DeliveryWriter, testDelivery } from './delivery.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';

/**
 * Redis is a cache (docs/RELIABILITY.md, "Redis losses"): when it loses everything under a
 * running gateway, the gateway's projections notice and read Kafka again, so that a case
 * and an inbox delivery written before the loss can be read again, without a restart.
 */
describe('a running gateway whose Redis is flushed', () => {
  let gateway: GatewayProcess;
  let writer: DeliveryWriter;
  let redis: Redis;
  let ngo: Member;
  let hotline: Member;

  beforeAll(async () => {
    // A Redis database of its own, flushed by this test alone.
    const ownDb = new URL(testStack().redisUrl);
    ownDb.pathname = '/3';
    redis = new Redis(ownDb.toString());
    await redis.flushdb();
    [gateway, writer] = await Promise.all([
      startReadyGateway({ REDIS_URL: ownDb.toString() }),
      DeliveryWriter.open(),
    ]);
    [ngo, hotline] = await Promise.all([
      enrol(gateway.base, { prefix: 'ngo-flush', roles: ['member-ngo'], country: 'NL' }),
      enrol(gateway.base, { prefix: 'hotline-flush', roles: ['hotline'], country: 'NL' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gateway?.stop(), writer?.close(), redis?.quit()]);
  });

  it('reads the cases and inboxes it held before again from Kafka', async () => {
    const body = example('raise-runaway.json');
    body.countries.caseCountry = 'NL';
    const raised = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
    expect(raised.status).toBe(202);
    const path = `/v1/alerts/${raised.body.caseId}`;
    const delivery = testDelivery(hotline.id);
    await writer.write(delivery);
    const readable = () =>
      waitFor(
        'the case and the delivery to be readable',
        async () => {
          const [view, inbox] = await Promise.all([
            call(gateway.base, ngo.key, 'GET', path),
            call(gateway.base, hotline.key, 'GET', '/v1/inbox?limit=100'),
          ]);
          const ids = ((inbox.body.deliveries ?? []) as Array<{ deliveryId: string }>).map(
            (d) => d.deliveryId,
          );
          return view.status === 200 && ids.includes(delivery.deliveryId) ? true : undefined;
        },
        { timeoutMs: 120_000 },
      );
    await readable();

    // The running gateway writes again at once (rate counters, new records), so what the
    // flush took is seen in what must come back, not in the database's size. Until the
    // case is back, a read of it answers 503 (the cases are being read again), never 404.
    await redis.flushdb();
    const statuses = new Set<number>();
    await waitFor(
      'the case to be readable again',
      async () => {
        const view = await call(gateway.base, ngo.key, 'GET', path);
        statuses.add(view.status);
        return view.status === 200 ? view : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    await readable();
    expect((await call(gateway.base, ngo.key, 'GET', path)).body).toMatchObject({
      caseId: raised.body.caseId,
    });
  }, 180_000);

  /*
   * The defect chaos scenario 3 found: deliveries written just after a loss landed in the
   * emptied inbox before the older ones came back, and a pull recipient reading then moved
   * its cursor past the older ones for good. Projection writes are now fenced by the
   * projection's epoch, so the inbox comes back in its order.
   */
  it('lets a pull recipient reading through the loss miss nothing, and never answers 404 for a delivery', async () => {
    const reader = await enrol(gateway.base, {
      prefix: 'hotline-reader',
      roles: ['hotline'],
      country: 'NL',
    });
    const before = Array.from({ length: 30 }, () => testDelivery(reader.id));
    const after = Array.from({ length: 30 }, () => testDelivery(reader.id));
    await writer.write(...before);
    const page = (cursor: string) =>
      call(gateway.base, reader.key, 'GET', `/v1/inbox?limit=10&after=${cursor}`);
    await waitFor('the 30 deliveries to be filed', async () => {
      const all = await call(gateway.base, reader.key, 'GET', '/v1/inbox?limit=100');
      return all.body.deliveries?.length === 30 ? true : undefined;
    });
    const first = await page('');
    expect(first.status).toBe(200);
    const seen: string[] = first.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId);
    let cursor = first.body.next as string;

    await redis.flushdb();
    const writing = writer.write(...after);
    // Read before the flush, not acknowledged yet: 200 once it is back, 503 before.
    const ack = await call(gateway.base, reader.key, 'POST', `/v1/deliveries/${seen[0]}/ack`, {
      status: 'RECEIVED',
    });
    expect([200, 503]).toContain(ack.status);
    const pages: number[] = [];
    await waitFor(
      'the reader to have read all 60 deliveries',
      async () => {
        const answer = await page(cursor);
        pages.push(answer.status);
        if (answer.status !== 200) return undefined;
        for (const d of answer.body.deliveries as Array<{ deliveryId: string }>)
          seen.push(d.deliveryId);
        cursor = answer.body.next ?? cursor;
        return seen.length >= 60 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    await writing;
    expect(seen).toEqual([...before, ...after].map((d) => d.deliveryId));
    expect(pages.filter((status) => status !== 200)).toEqual([]);
  }, 180_000);
});
