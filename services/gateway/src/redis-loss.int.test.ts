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
    // flush took is seen in what must come back, not in the database's size.
    await redis.flushdb();
    await readable();
    expect((await call(gateway.base, ngo.key, 'GET', path)).body).toMatchObject({
      caseId: raised.body.caseId,
    });
  }, 180_000);
});
