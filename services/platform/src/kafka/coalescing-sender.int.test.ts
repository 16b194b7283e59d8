import { createTopics, readTopic, testKafka, uniqueName } from '@alert-exchange/testing';
import { ExchangeError, isRetriable } from '../errors';
import { CoalescingSender } from './coalescing-sender';
import { createDurableProducer, type Producer } from './index';

/**
 * The sender on a real broker with an idempotent producer, as the dispatcher uses it:
 * many callers writing one record each at the same time.
 */
describe('CoalescingSender', () => {
  const kafka = testKafka();
  const topic = uniqueName('coalesced');
  /** Refuses record batches over 2 000 bytes (MESSAGE_TOO_LARGE, not retriable). */
  const small = uniqueName('coalesced-small');
  let producer: Producer;
  let produceRequests = 0;

  beforeAll(async () => {
    await createTopics(kafka, [
      { topic, numPartitions: 3 },
      {
        topic: small,
        numPartitions: 1,
        configEntries: [{ name: 'max.message.bytes', value: '2000' }],
      },
    ]);
    producer = createDurableProducer(kafka);
    producer.on(producer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Produce') produceRequests++;
    });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
  });

  it("lands every concurrent caller's record, in call order per partition, and tells each its offset", async () => {
    const sender = new CoalescingSender(producer);
    const calls = Array.from({ length: 300 }, (_, i) => ({
      partition: (i * 7) % 3,
      value: `record-${i}`,
    }));
    produceRequests = 0;
    const positions = await Promise.all(
      calls.map(({ partition, value }) =>
        sender.send({ topic, partition, key: value, value, headers: { n: value } }),
      ),
    );
    // Far fewer requests than records: the first alone, the rest together behind it.
    expect(produceRequests).toBeLessThan(10);

    const stored = await readTopic(topic, kafka);
    expect(stored).toHaveLength(calls.length);
    const at = new Map(stored.map((r) => [`${r.partition}@${r.offset}`, r]));
    positions.forEach((position, i) => {
      expect(position.topic).toBe(topic);
      expect(position.partition).toBe(calls[i]!.partition);
      const record = at.get(`${position.partition}@${position.offset}`);
      expect(record?.value?.toString()).toBe(calls[i]!.value);
      expect(record?.key).toBe(calls[i]!.value);
      expect(record?.headers.n).toBe(calls[i]!.value);
    });
    for (const partition of [0, 1, 2]) {
      const written = calls.filter((c) => c.partition === partition).map((c) => c.value);
      const read = stored
        .filter((r) => r.partition === partition)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
        .map((r) => r.value?.toString());
      expect(read).toEqual(written);
    }
  });

  it('rejects every caller of a request the broker refused, with a not retriable error, and goes on', async () => {
    const sender = new CoalescingSender(producer);
    const first = sender.send({ topic: small, partition: 0, value: 'first' });
    // Written while the first request is under way: one request, one batch, refused whole.
    const refused = [
      sender.send({ topic: small, partition: 0, value: 'a' }),
      sender.send({ topic: small, partition: 0, value: 'x'.repeat(4_000) }),
      sender.send({ topic: small, partition: 0, value: 'b' }),
    ];
    const errors = await Promise.all(
      refused.map((call) =>
        call.then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(ExchangeError);
      expect(isRetriable(error)).toBe(false);
      expect(((error as ExchangeError).cause as Error).message).toMatch(/larger than/i);
    }
    expect(new Set(errors).size).toBe(1);

    const after = await sender.send({ topic: small, partition: 0, value: 'after' });
    expect(after.offset).toBe((await first).offset + 1n);
    const stored = await readTopic(small, kafka);
    expect(stored.map((r) => r.value?.toString())).toEqual(['first', 'after']);
  });
});
