import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { UnavailableError } from '../errors';
import type { Logger } from '../logging';

/** One record of a followed topic, where it sits. */
export interface FollowedRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly message: KafkaMessage;
}

/**
 * Reads a whole topic from its beginning and keeps following it, handing
 * every record to `onRecord` in partition order. Every instance reads every partition
 * (a consumer group of its own, nothing committed), so any instance can fold the topic
 * into its memory: the way a service rebuilds what it knows from Kafka after a restart.
 * `caughtUp()` says when everything written before the call has been handed over. Read
 * read_committed: records of aborted transactions are never handed over.
 */
export class FollowedLog {
  /** Next offset to hand over, per partition. */
  private readonly positions = new Map<number, bigint>();
  private waiters: Array<{ marks: Map<number, bigint>; resolve: () => void }> = [];
  private failed: Error | undefined;

  private constructor(
    private readonly topic: string,
    private readonly admin: Admin,
    private readonly consumer: Consumer,
  ) {}

  static async open(options: {
    kafka: Kafka;
    admin: Admin;
    topic: string;
    name: string;
    logger: Logger;
    onRecord: (record: FollowedRecord) => Promise<void> | void;
    /** Told when kafkajs gives up on the follower for good (after `failed` is set). */
    onStopped?: (error: Error) => void;
  }): Promise<FollowedLog> {
    const { kafka, admin, topic, name, logger } = options;
    const consumer = kafka.consumer({
      groupId: `${name}-${randomUUID()}`,
      readUncommitted: false,
      sessionTimeout: 30_000,
    });
    const log = new FollowedLog(topic, admin, consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      log.failed = new UnavailableError(`following ${topic} stopped`, { cause: payload.error });
      logger.error({ topic, err: { message: payload.error.message } }, 'Following a topic stopped');
      options.onStopped?.(payload.error);
    });
    // A batch of only transaction markers (or aborted records) reaches no eachBatch, but
    // kafkajs reports it: the topic's end may be such a marker (a transactional writer).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      log.advance(payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (const message of batch.messages) {
          await options.onRecord({
            partition: batch.partition,
            offset: BigInt(message.offset),
            message,
          });
          log.advance(batch.partition, BigInt(message.offset) + 1n);
        }
        // Transaction markers and aborted records are skipped without a message each.
        log.advance(batch.partition, BigInt(batch.lastOffset()) + 1n);
        await payload.heartbeat();
      },
    });
    return log;
  }

  private advance(partition: number, next: bigint): void {
    if (next <= (this.positions.get(partition) ?? 0n)) return;
    this.positions.set(partition, next);
    this.waiters = this.waiters.filter((w) => {
      if (!this.reached(w.marks)) return true;
      w.resolve();
      return false;
    });
  }

  private reached(marks: ReadonlyMap<number, bigint>): boolean {
    return [...marks].every(([p, end]) => (this.positions.get(p) ?? 0n) >= end);
  }

  /**
   * Resolves once every record written to the topic before the call has been handed to
   * `onRecord`; rejects after `timeoutMs` (default 60 s) or when following stopped.
   */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    if (this.failed) throw this.failed;
    const marks = new Map<number, bigint>();
    for (const p of await endOffsets(this.admin, this.topic)) {
      // The log start too: a partition whose records all expired has nothing to read.
      if (BigInt(p.high) > BigInt(p.low)) marks.set(p.partition, BigInt(p.high));
      else this.advance(p.partition, BigInt(p.high));
    }
    if (this.reached(marks)) return;
    await this.wait(marks, timeoutMs);
  }

  private async wait(marks: Map<number, bigint>, timeoutMs: number): Promise<void> {
    if (this.failed) throw this.failed;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new UnavailableError(`${this.topic} could not be read to its end in time`));
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ marks, resolve: done });
    });
  }

  /** Resolves once the record at `offset` of `partition` has been handed to `onRecord`. */
  async handed(partition: number, offset: bigint, timeoutMs = 60_000): Promise<void> {
    const marks = new Map([[partition, offset + 1n]]);
    if (this.reached(marks)) return;
    await this.wait(marks, timeoutMs);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** The topic's partition offsets, retried while a new topic's leadership settles. */
export async function endOffsets(
  admin: Admin,
  topic: string,
): Promise<Array<{ partition: number; high: string; low: string }>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}
