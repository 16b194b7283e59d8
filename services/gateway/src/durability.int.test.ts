import { join } from 'node:path';
import type { AlertEvent } from '@alert-exchange/contracts';
import { startScratchKafka, type ScratchKafka } from '@alert-exchange/devstack';
import type { Acknowledgement } from '@alert-exchange/contracts';
import { AvroCodec, connectAdmin, createKafka, silentLogger } from '@alert-exchange/platform';
import { loadTopicDeclaration, provisionTopics } from '@alert-exchange/provisioning';
import { readTopic, testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import { call, enrol, example, type Member } from './api-client.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';
import { DeliveryWriter, testDelivery } from './delivery.test-helper';

const TOPICS = join(__dirname, '..', '..', '..', 'infra', 'topics.yaml');

/**
 * Takes the broker away under a running gateway. A broker of this test's own is used, so
 * that the run's shared broker stays up for the other suites.
 */
describe('publishing while Kafka is down', () => {
  let kafka: ScratchKafka;
  let gateway: GatewayProcess;
  let ngo: Member;
  const scratch = () =>
    createKafka({ clientId: 'durability-test', brokers: [kafka.brokers], logger: silentLogger() });

  beforeAll(async () => {
    kafka = await startScratchKafka();
    const admin = await connectAdmin(scratch(), [kafka.brokers]);
    await provisionTopics(admin, loadTopicDeclaration(TOPICS)).finally(() => admin.disconnect());
    // A Redis database of its own: the gateway's projections keep Kafka offsets in Redis,
    // and this broker's offsets must not overwrite those of the shared test broker (a later
    // suite's projection would skip records below them).
    const ownDb = new URL(testStack().redisUrl);
    ownDb.pathname = '/1';
    gateway = await startReadyGateway({
      KAFKA_BROKERS: kafka.brokers,
      REDIS_URL: ownDb.toString(),
    });
    ngo = await enrol(gateway.base, { prefix: 'ngo-nl', roles: ['member-ngo'], country: 'NL' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await kafka?.remove();
  });

  async function published(reference: string): Promise<AlertEvent[]> {
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    const records = await readTopic('alerts.nl', scratch());
    const events = await Promise.all(
      records.map(async (r) => (await codec.decode<AlertEvent>(r.value)).value),
    );
    return events.filter((e) => e.originCaseReference === reference);
  }

  it('answers 503 with Retry-After and writes nothing; a retry with the same key after the broker returns yields exactly one record', async () => {
    const body = example('raise-runaway.json');
    body.countries.caseCountry = 'NL';
    body.originCaseReference = uniqueName('durable');
    const unkeyed = { ...body, originCaseReference: uniqueName('unkeyed') };
    const key = { 'idempotency-key': uniqueName('key') };
    expect(
      (await call(gateway.base, ngo.key, 'POST', '/v1/alerts', example('raise-runaway.json')))
        .status,
    ).toBe(202);

    await kafka.stop();
    const refused = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, key);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/nothing was published/),
    });
    expect((await call(gateway.base, ngo.key, 'POST', '/v1/alerts', unkeyed)).status).toBe(503);

    await kafka.start();
    const accepted = await waitFor(
      'the gateway to publish again',
      async () => {
        const answer = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, key);
        return answer.status === 202 ? answer : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const again = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, key);
    expect(again.body).toEqual(accepted.body);

    const events = await published(body.originCaseReference);
    expect(events).toHaveLength(1);
    expect(events[0]!.caseId).toBe(accepted.body.caseId);
    expect(await published(unkeyed.originCaseReference)).toHaveLength(0);
    const view = await call(gateway.base, ngo.key, 'GET', `/v1/alerts/${accepted.body.caseId}`);
    expect(view.status).toBe(200);
  });

  it('an acknowledgement while Kafka is down is a 503 with Retry-After and records nothing; the retry once it is back records it once', async () => {
    const hotline = await enrol(gateway.base, {
      prefix: 'hotline-nl',
      roles: ['hotline'],
      country: 'NL',
    });
    const writer = await DeliveryWriter.open(scratch());
    const delivery = testDelivery(hotline.id);
    try {
      await writer.write(delivery);
      // The projection's consumer may still be finding the broker restarted by the test
      // before: generous, on a shared machine.
      await waitFor(
        "the delivery in the hotline's inbox",
        async () => {
          const inbox = await call(gateway.base, hotline.key, 'GET', '/v1/inbox');
          return inbox.body?.deliveries?.length === 1 ? true : undefined;
        },
        { timeoutMs: 240_000 },
      );
      const ack = () =>
        call(gateway.base, hotline.key, 'POST', `/v1/deliveries/${delivery.deliveryId}/ack`, {
          status: 'RECEIVED',
          note: 'restricted',
        });

      await kafka.stop();
      const refused = await ack();
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).not.toContain('restricted');

      await kafka.start();
      const accepted = await waitFor(
        'the gateway to record acknowledgements again',
        async () => {
          const answer = await ack();
          return answer.status === 200 ? answer : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      expect((await ack()).body).toEqual(accepted.body);
      const records = (await writer.read<Acknowledgement>('acknowledgements')).filter(
        (r) => r.value.deliveryId === delivery.deliveryId,
      );
      expect(records.map((r) => r.value.ackId)).toEqual([accepted.body.ackId]);
    } finally {
      await writer.close();
    }
  });
});
