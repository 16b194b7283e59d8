import {
  readEventMeta,
  PoisonMessageError,
  sendToDeadLetter,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
  type Redis,
} from '@alert-exchange/platform';
import { randomUUID } from 'node:crypto';

/** Where a projection keeps the next offset of each partition it has applied. */
export interface ProjectionOffsets {
  resume(topic: string, partition: number): Promise<string | undefined>;
  raise(topic: string, partition: number, next: bigint): Promise<void>;
  /** Drops every stored offset: the projection is read again from the start. */
  forget(): Promise<void>;
}

/** How often a projection looks whether Redis lost what it projected. */
export const LOSS_CHECK_MS = 5_000;

/**
 * The projection's epoch in Redis: set once, when absent, to a new random value, and read.
 * A different value than the one a projection started with, or a fresh one, means Redis
 * lost its data (flushed, or restarted empty) after the projection wrote there.
 */
const EPOCH = `
local value = redis.call('GET', KEYS[1])
if value then return value end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`;

/**
 * Keeps a Redis projection of Avro topics up to date (read_committed). The gateway
 * instances share the consumer group; offsets are kept by the projection itself, in the
 * same store as what they describe (`apply` must move them), and a partition resumes
 * from there when it is assigned: if Redis loses its last writes, it loses the offsets
 * with them and the records are read again. While it runs, Redis losing data is noticed
 * too (docs/RELIABILITY.md, "Redis losses"): after a reconnection, every partition it
 * owns goes back to its stored offset (a restarted Redis may have lost its last second);
 * when the epoch key changed or vanished (every LOSS_CHECK_MS), the stored offsets are
 * dropped and every partition it owns is read again from its start. A record that cannot
 * be read goes to the dead-letter topic with its reason and is passed over.
 */
export async function startProjection<T>(options: {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  logger: Logger;
  groupId: string;
  topics: Array<string | RegExp>;
  /** The full name of the records the topics carry: any other record is poison. */
  record: string;
  offsets: ProjectionOffsets;
  /** The Redis the projection writes to, watched for losses. */
  redis: Redis;
  apply: (
    value: T,
    topic: string,
    partition: number,
    offset: string,
    traceparent: string | undefined,
    publishedAt: number | undefined,
  ) => Promise<void>;
}): Promise<Consumer> {
  const { kafka, codec, producer, logger, groupId, offsets, redis } = options;
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  let assigned: Array<[topic: string, partitions: number[]]> = [];
  /** Every owned partition to its stored offset, or to its start (`fromStart`, or none stored). */
  const seekOwned = async (fromStart: boolean): Promise<void> => {
    for (const [topic, partitions] of assigned) {
      for (const partition of partitions) {
        const offset = fromStart ? undefined : await offsets.resume(topic, partition);
        // Offset 0 below the log's start is reset to the earliest (fromBeginning).
        if (offset !== undefined || fromStart)
          consumer.seek({ topic, partition, offset: offset ?? '0' });
      }
    }
  };
  const warn = (what: string) => (error: unknown) =>
    // Without a stored offset the partition is read from its start: slower, still right.
    logger.warn({ groupId, err: { message: (error as Error).message } }, what);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = Object.entries(payload.memberAssignment);
    void seekOwned(false).catch(warn('Could not resume offsets'));
  });

  const epochKey = `ax:projection-epoch:${groupId}`;
  const readEpoch = async (): Promise<string> =>
    String(await redis.eval(EPOCH, 1, epochKey, randomUUID()));
  let epoch = await readEpoch();
  let checking = false;
  /** True when it found Redis had lost the projection, and started reading it again. */
  const checkEpoch = async (): Promise<boolean> => {
    if (checking) return false;
    checking = true;
    try {
      const now = await readEpoch();
      if (now === epoch) return false;
      epoch = now;
      logger.warn(
        { groupId },
        'Redis lost the projection: reading its topics again from the start',
      );
      await offsets.forget();
      await seekOwned(true);
      return true;
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(
    () => void checkEpoch().catch(warn('Could not check the projection epoch')),
    LOSS_CHECK_MS,
  );
  timer.unref();
  // ioredis says 'ready' again after every reconnection: Redis may have restarted.
  let connected = redis.status === 'ready';
  const onReady = (): void => {
    if (!connected) {
      connected = true;
      return;
    }
    // After a loss the partitions are read from their start: seeking them back to stored
    // offsets then (raised meanwhile by records applied from the old position) would undo
    // that. Otherwise Redis may have lost its last second: back to the stored offsets.
    void checkEpoch()
      .then((lost) => (lost ? undefined : seekOwned(false)))
      .catch(warn('Could not resume offsets after Redis came back'));
  };
  redis.on('ready', onReady);
  consumer.on(consumer.events.DISCONNECT, () => {
    clearInterval(timer);
    redis.off('ready', onReady);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      try {
        const { value } = await codec.decode<T>(message.value, options.record);
        await options.apply(
          value,
          topic,
          partition,
          message.offset,
          readEventMeta(message).traceparent,
          readEventMeta(message).publishedAt,
        );
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        await sendToDeadLetter(
          producer,
          message,
          { topic, partition, offset: message.offset, consumer: groupId, reason: error.reason },
          logger,
        );
        await offsets.raise(topic, partition, BigInt(message.offset) + 1n);
      }
    },
  });
  return consumer;
}
