import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Organisation } from '@alert-exchange/contracts';
import {
  type AvroCodec,
  DEAD_LETTER_TOPIC,
  PoisonMessageError,
  UnavailableError,
  deadLetterMessage,
  type Admin,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';

/** The registry subject of directory records (RecordNameStrategy). */
export const ORGANISATION_SUBJECT = 'eu.alertexchange.Organisation';

/** The topic's partition offsets, retried while a new topic's leadership settles. */
async function endOffsets(
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

/**
 * The directory of organisations. Its source of truth is the compacted topic
 * `directory.organisations` (key = organisation id, a tombstone deletes); every gateway
 * instance reads the whole topic at start and follows it, so a change made through any
 * instance reaches all of them within moments, without a restart. Writes return only once
 * Kafka has the record (acks=all).
 */
export class Directory {
  private readonly organisations = new Map<string, Organisation>();

  private constructor(
    private readonly topic: string,
    private readonly codec: AvroCodec,
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly schemaId: number,
  ) {}

  /** Connects, reads the topic to its end, and keeps following it. */
  static async open(options: {
    kafka: Kafka;
    codec: AvroCodec;
    producer: Producer;
    topic: string;
    logger: Logger;
  }): Promise<Directory> {
    const { kafka, codec, producer, topic, logger } = options;
    const schemaId = await codec.latestSchemaId(ORGANISATION_SUBJECT);
    const admin = kafka.admin();
    await admin.connect();
    const ends = await endOffsets(admin, topic).finally(() => admin.disconnect());
    const pending = new Map(
      ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
    );

    // A group of its own per instance: every instance must see every record.
    const groupId = `gateway-directory-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, readUncommitted: false });
    const directory = new Directory(topic, codec, producer, consumer, schemaId);
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
          await directory.apply(message.key?.toString() ?? '', message.value);
        } catch (error) {
          if (!(error instanceof PoisonMessageError)) throw error;
          logger.warn(
            { topic, partition, offset: message.offset, reason: error.reason },
            'Poison directory record sent to the dead-letter topic',
          );
          await producer.send({
            topic: DEAD_LETTER_TOPIC,
            acks: -1,
            messages: [
              deadLetterMessage(message, {
                topic,
                partition,
                offset: message.offset,
                consumer: 'gateway-directory',
                reason: error.reason,
              }),
            ],
          });
        }
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
          () =>
            reject(
              new UnavailableError(
                `the directory topic ${topic} could not be read to its end within 60 s`,
              ),
            ),
          60_000,
        ).unref(),
      ),
    ]);
    return directory;
  }

  private async apply(id: string, value: Buffer | null): Promise<void> {
    if (!id) throw new PoisonMessageError('directory record without a key');
    if (value === null) {
      this.organisations.delete(id);
      return;
    }
    const { value: record } = await this.codec.decode<Organisation>(value);
    if (record.id !== id)
      throw new PoisonMessageError(`directory record keyed ${id} describes ${record.id}`);
    this.organisations.set(id, record);
  }

  /** The organisation `id`, if the directory has it. */
  get(id: string): Organisation | undefined {
    return this.organisations.get(id);
  }

  /** Every organisation, ordered by id. */
  list(): Organisation[] {
    return [...this.organisations.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Writes `record` (acks=all) and returns once Kafka has it. */
  async put(record: Organisation): Promise<void> {
    const value = await this.codec.encode(this.schemaId, record);
    await this.send(record.id, value);
    this.organisations.set(record.id, record);
  }

  /** Deletes `id` with a tombstone (acks=all). */
  async remove(id: string): Promise<void> {
    await this.send(id, null);
    this.organisations.delete(id);
  }

  private async send(key: string, value: Buffer | null): Promise<void> {
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value }] });
    } catch (cause) {
      throw new UnavailableError('Kafka did not take the directory change; nothing was changed', {
        cause,
      });
    }
  }

  /** Stops following the topic. */
  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}
