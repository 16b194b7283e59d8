import type { ProducerBatch, RecordMetadata } from 'kafkajs';
import { UnavailableError } from '../errors';
import { CoalescingSender } from './coalescing-sender';
import type { PartitionedRecord } from './coalescing';

/**
 * A producer whose requests the test answers by hand: one request is under way until the
 * test says how it ended, as kafkajs' broker lock makes it.
 */
class HeldProducer {
  readonly requests: Array<{
    batch: ProducerBatch;
    answer: (metadata: RecordMetadata[]) => void;
    fail: (error: Error) => void;
  }> = [];

  sendBatch = (batch: ProducerBatch): Promise<RecordMetadata[]> =>
    new Promise((answer, fail) => this.requests.push({ batch, answer, fail }));

  /** Answers request `n` as the broker would: the next offsets of each partition. */
  answerInOrder(n: number, next: Map<number, number>): void {
    const { batch, answer } = this.requests[n]!;
    const metadata: RecordMetadata[] = [];
    for (const { topic, messages } of batch.topicMessages ?? []) {
      const counts = new Map<number, number>();
      for (const m of messages) counts.set(m.partition!, (counts.get(m.partition!) ?? 0) + 1);
      for (const [partition, count] of counts) {
        const base = next.get(partition) ?? 0;
        next.set(partition, base + count);
        metadata.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
      }
    }
    answer(metadata);
  }

  valuesOf(n: number): unknown[] {
    return (this.requests[n]!.batch.topicMessages ?? []).flatMap((t) =>
      t.messages.map((m) => m.value),
    );
  }
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const status = (partition: number, value: string): PartitionedRecord => ({
  topic: 'delivery-status',
  partition,
  value,
});

describe('CoalescingSender', () => {
  it('sends the first record at once and every record written meanwhile in the next request', async () => {
    const producer = new HeldProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send(status(0, 'a'));
    await settled();
    expect(producer.requests).toHaveLength(1);
    const later = ['b', 'c', 'd'].map((v) => sender.send(status(0, v)));
    await settled();
    expect(producer.requests).toHaveLength(1);
    expect(sender.waiting).toBe(3);

    const offsets = new Map<number, number>();
    producer.answerInOrder(0, offsets);
    expect(await first).toEqual({ topic: 'delivery-status', partition: 0, offset: 0n });
    await settled();
    expect(producer.requests).toHaveLength(2);
    expect(producer.valuesOf(1)).toEqual(['b', 'c', 'd']);
    expect(producer.requests[1]!.batch.acks).toBe(-1);

    producer.answerInOrder(1, offsets);
    expect((await Promise.all(later)).map((p) => p.offset)).toEqual([1n, 2n, 3n]);
  });

  it('gives each caller the offset of its own record, partition by partition', async () => {
    const producer = new HeldProducer();
    const sender = new CoalescingSender(producer);
    const offsets = new Map([
      [1, 10],
      [2, 20],
    ]);
    const blocker = sender.send(status(1, 'x'));
    const calls = [status(2, 'a'), status(1, 'b'), status(2, 'c'), status(1, 'd')].map((r) =>
      sender.send(r),
    );
    producer.answerInOrder(0, offsets);
    await blocker;
    await settled();
    producer.answerInOrder(1, offsets);
    expect((await Promise.all(calls)).map((p) => `${p.partition}@${p.offset}`)).toEqual([
      '2@20',
      '1@11',
      '2@21',
      '1@12',
    ]);
  });

  it('rejects every caller of a failed request with its error and carries on with the next', async () => {
    const producer = new HeldProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send(status(0, 'a'));
    const failed = [sender.send(status(0, 'b')), sender.send(status(0, 'c'))];
    producer.answerInOrder(0, new Map());
    await first;
    await settled();
    const after = sender.send(status(0, 'd'));
    const cause = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    });
    producer.requests[1]!.fail(cause);
    for (const call of failed) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as UnavailableError).cause).toBe(cause);
    }
    await settled();
    expect(producer.valuesOf(2)).toEqual(['d']);
    producer.answerInOrder(2, new Map([[0, 1]]));
    expect((await after).offset).toBe(1n);
  });

  it('holds at most maxRecordsPerRequest records per request', async () => {
    const producer = new HeldProducer();
    const sender = new CoalescingSender(producer, { maxRecordsPerRequest: 2 });
    const offsets = new Map<number, number>();
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((v) => sender.send(status(0, v)));
    for (let n = 0; n < 4; n++) {
      await settled();
      producer.answerInOrder(n, offsets);
    }
    expect(producer.requests.map((_, n) => producer.valuesOf(n))).toEqual([
      ['a'],
      ['b', 'c'],
      ['d', 'e'],
      ['f'],
    ]);
    expect((await Promise.all(calls)).map((p) => p.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
  });
});
