import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { AvroCodec } from '../avro';
import { PoisonMessageError, UnavailableError } from '../errors';
import type { Logger } from '../logging';
import { endOffsets } from './followed-log';
import { sendToDeadLetter } from './messages';

/**
 * An in-memory view of a compacted topic of Avro records (key = id, a tombstone deletes).
 * Every instance reads the whole topic at start, with a consumer group of its own so it
 * sees every record, and keeps following it: a change written through any instance
 * reaches all of them within moments. Writes return only once Kafka has them (acks=all).
 */
export class CompactedView<T> {
  private readonly records = new Map<string, T>();
  /** The change to each id in progress in this instance, so the next one waits for it. */
  private readonly updating = new Map<string, Promise<unknown>>();
  /**
   * The offset of this instance's latest write to each id, until the consumer reaches it:
   * older records of that id read meanwhile are skipped, so that a write is never undone
   * by the consumer catching up with an earlier one (which a read-modify-write would then
   * build on, losing the change).
   */
  private readonly written = new Map<string, bigint>();
  /** The next offset to read in each partition, as far as this instance has read. */
  private readonly position = new Map<number, bigint>();
  /** Woken whenever a record has been read. */
  private readonly readers = new Set<() => void>();

  private constructor(
    private readonly topic: string,
    private readonly codec: AvroCodec,
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly schemaId: number,
    /** The record's full name (its subject): any other record on the topic is poison. */
    private readonly subject: string,
    private readonly idOf: (record: T) => string,
    private readonly kafka: Kafka,
  ) {}

  /** Connects, reads `topic` to its end, and keeps following it. */
  static async open<T>(options: {
    kafka: Kafka;
    codec: AvroCodec;
    producer: Producer;
    topic: string;
    subject: string;
    idOf: (record: T) => string;
    logger: Logger;
    name: string;
  }): Promise<CompactedView<T>> {
    const { kafka, codec, producer, topic, logger, name } = options;
    const schemaId = await codec.latestSchemaId(options.subject);
    const admin = kafka.admin();
    await admin.connect();
    const ends = await endOffsets(admin, topic).finally(() => admin.disconnect());
    const pending = new Map(
      ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
    );
    const consumer = kafka.consumer({ groupId: `${name}-${randomUUID()}`, readUncommitted: false });
    const view = new CompactedView<T>(
      topic,
      codec,
      producer,
      consumer,
      schemaId,
      options.subject,
      options.idOf,
      kafka,
    );
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      caughtUp = resolve;
      if (pending.size === 0) resolve();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          await view.apply(message.key?.toString() ?? '', message.value, BigInt(message.offset));
        } catch (error) {
          if (!(error instanceof PoisonMessageError)) throw error;
          await sendToDeadLetter(
            producer,
            message,
            { topic, partition, offset: message.offset, consumer: name, reason: error.reason },
            logger,
          );
        }
        view.position.set(partition, BigInt(message.offset) + 1n);
        for (const wake of view.readers) wake();
        const end = pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          pending.delete(partition);
          if (pending.size === 0) caughtUp();
        }
      },
    });
    await Promise.race([
      ready,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new UnavailableError(`${topic} could not be read to its end within 60 s`)),
          60_000,
        ).unref(),
      ),
    ]);
    return view;
  }

  private async apply(id: string, value: Buffer | null, offset: bigint): Promise<void> {
    if (!id) throw new PoisonMessageError(`record of ${this.topic} without a key`);
    const ours = this.written.get(id);
    if (ours !== undefined) {
      if (offset < ours) return;
      this.written.delete(id);
    }
    if (value === null) {
      this.records.delete(id);
      return;
    }
    const { value: record } = await this.codec.decode<T>(value, this.subject);
    if (this.idOf(record) !== id)
      throw new PoisonMessageError(`record keyed ${id} describes ${this.idOf(record)}`);
    this.records.set(id, record);
  }

  /**
   * Returns once this instance has read every record written to the topic before the
   * call, so that `get` then answers for them: a record missing after `sync` was not
   * written, or was deleted. Throws UnavailableError when that takes over `timeoutMs`.
   */
  async sync(timeoutMs = 30_000): Promise<void> {
    // One question to the broker at a time, shared by every caller waiting on it.
    this.ending ??= this.endsNow().finally(() => {
      this.ending = undefined;
    });
    const ends = await this.ending;
    const behind = (): boolean =>
      ends.some((p) => p.high !== p.low && (this.position.get(p.partition) ?? 0n) < BigInt(p.high));
    const deadline = Date.now() + timeoutMs;
    while (behind()) {
      if (Date.now() >= deadline)
        throw new UnavailableError(`${this.topic} could not be read to its end in time`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.readers.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 250);
        this.readers.add(wake);
      });
    }
  }

  private ending: Promise<Array<{ partition: number; high: string; low: string }>> | undefined;
  private admin: Admin | undefined;

  private async endsNow(): Promise<Array<{ partition: number; high: string; low: string }>> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return endOffsets(this.admin, this.topic);
  }

  /** The record `id`, if the view has it. */
  get(id: string): T | undefined {
    return this.records.get(id);
  }

  /** Every record, ordered by id. */
  values(): IterableIterator<T> {
    return this.records.values();
  }

  /** Every record the view has, sorted by id. */
  list(): T[] {
    return [...this.records.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  }

  /** Writes `record` (acks=all) and returns once Kafka has it. */
  async put(record: T): Promise<void> {
    const value = await this.codec.encode(this.schemaId, record);
    await this.send(this.idOf(record), value);
    this.records.set(this.idOf(record), record);
  }

  /**
   * Read-modify-write of record `id`: `change` gets the newest record this instance knows
   * and says what to write (acks=all; nothing when `write` is left out) and what to return;
   * what it throws is thrown here. Changes to one id through one instance run one at a
   * time, so two concurrent requests cannot overwrite each other's change. Across
   * instances the last write wins (docs/ARCHITECTURE.md).
   */
  async update<R>(
    id: string,
    change: (current: T | undefined) => { write?: T; result: R },
  ): Promise<R> {
    const previous = this.updating.get(id) ?? Promise.resolve();
    const run = previous.then(async () => {
      const { write, result } = change(this.records.get(id));
      if (write !== undefined) {
        if (this.idOf(write) !== id)
          throw new Error(`a change to ${id} would write ${this.idOf(write)}`);
        await this.put(write);
      }
      return result;
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.updating.set(id, settled);
    void settled.then(() => {
      if (this.updating.get(id) === settled) this.updating.delete(id);
    });
    return run;
  }

  /** Deletes `id` with a tombstone (acks=all). */
  async remove(id: string): Promise<void> {
    await this.send(id, null);
    this.records.delete(id);
  }

  private async send(key: string, value: Buffer | null): Promise<void> {
    try {
      const [meta] = await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: [{ key, value }],
      });
      const offset = meta?.baseOffset ?? meta?.offset;
      if (offset !== undefined && BigInt(offset) >= (this.written.get(key) ?? -1n))
        this.written.set(key, BigInt(offset));
    } catch (cause) {
      throw new UnavailableError(
        `Kafka did not take the change to ${this.topic}; nothing was changed`,
        { cause },
      );
    }
  }

  /** Stops following the topic. */
  async close(): Promise<void> {
    await Promise.all([this.consumer.disconnect(), this.admin?.disconnect()]);
  }
}
