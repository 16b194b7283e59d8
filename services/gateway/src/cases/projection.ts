import {
  readEventMeta,
  PoisonMessageError,
  RedisScript,
  sendToDeadLetter,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
  type Redis,
} from '@alert-exchange/platform';
import { randomUUID } from 'node:crypto';
import {
  RAISE_OFFSET,
  runFenced,
  type ProjectionFence,
  type ProjectionKeys,
} from './projection-keys';

/** How often a projection looks whether Redis lost what it projected. */
export const LOSS_CHECK_MS = 5_000;

/** Where a record was read, and what its headers said. */
export interface ProjectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly traceparent: string | undefined;
  readonly publishedAt: number | undefined;
}

/**
 * The projection's epoch: set once, when absent, to a new random value, and read. KEYS:
 * epoch. ARGV: a fresh value.
 */
const EPOCH = new RedisScript(`
local value = redis.call('GET', KEYS[1])
if value then return value end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`);

/**
 * KEYS: epoch, offsets, rebuilding. ARGV: the projection's epoch, a fresh one, then for
 * each partition it owns its field and the next offset it had reached ('' for none).
 * The epoch unchanged: nothing happened, returns it. Otherwise Redis lost the projection
 * (no epoch: the fresh one is set) or another instance noticed first (another epoch):
 * the stored offsets of the owned partitions are dropped and each is marked as being
 * read again up to where it was; returns the epoch in force. One script, so that nobody
 * finds the epoch back without the marks.
 */
const RENEW = new RedisScript(`
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then return current end
if not current then
  redis.call('SET', KEYS[1], ARGV[2])
  current = ARGV[2]
end
for i = 3, #ARGV, 2 do
  redis.call('HDEL', KEYS[2], ARGV[i])
  if ARGV[i + 1] ~= '' then redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
end
return current`);

/**
 * KEYS: offsets, rebuilding. ARGV: for each owned partition its field and the next offset
 * reached. Marks every partition whose stored offset is behind what was reached: Redis
 * came back without its last writes.
 */
const MARK_BEHIND = new RedisScript(`
for i = 1, #ARGV, 2 do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  if (not stored) or (tonumber(stored) < tonumber(ARGV[i + 1])) then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return 1`);

const fieldOf = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Keeps a Redis projection of Avro topics up to date (read_committed). The gateway
 * instances share the consumer group; offsets are kept by the projection itself, in the
 * same store as what they describe (`apply` moves them, through `fencedScript`), and a
 * partition resumes from there when it is assigned: if Redis loses its last writes, it
 * loses the offsets with them and the records are read again.
 *
 * Redis losing everything under a running projection (docs/RELIABILITY.md, "Redis
 * losses") is noticed when a write is fenced off (the epoch key is gone: nothing lands in
 * the emptied store, so a record can never be projected before an older one that is
 * still to come back), every LOSS_CHECK_MS, and after a reconnection. Then, atomically,
 * a new epoch is set and every owned partition is marked as being read again up to the
 * offset reached (`projectionsIntact` is false meanwhile, so "not found" becomes 503),
 * and the partitions are read again from their start. After a reconnection without a
 * loss of everything, partitions whose stored offset fell behind are marked and resume
 * from there. A record that cannot be read goes to the dead-letter topic with its reason
 * and is passed over.
 *
 * `apply` writes with `runFenced` and the fence given, and returns what it returned.
 */
export async function startProjection<T>(options: {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  logger: Logger;
  keys: ProjectionKeys;
  topics: Array<string | RegExp>;
  /** The full name of the records the topics carry: any other record is poison. */
  record: string;
  /** The Redis the projection writes to, watched for losses. */
  redis: Redis;
  apply: (value: T, read: ProjectedRecord, fence: ProjectionFence) => Promise<boolean>;
}): Promise<Consumer> {
  const { kafka, codec, producer, logger, keys, redis } = options;
  const { groupId } = keys;
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  let assigned: Array<[topic: string, partitions: number[]]> = [];
  /** The next offset reached in each owned partition: only rises while it is owned. */
  const reached = new Map<string, bigint>();
  const reach = (field: string, next: bigint): void => {
    if ((reached.get(field) ?? -1n) < next) reached.set(field, next);
  };
  const owned = (): Array<[field: string, topic: string, partition: number]> =>
    assigned.flatMap(([topic, partitions]) =>
      partitions.map((p): [string, string, number] => [fieldOf(topic, p), topic, p]),
    );
  const reachedArgs = (): string[] =>
    owned().flatMap(([field]) => [field, reached.get(field)?.toString() ?? '']);

  /** Every owned partition to its stored offset, where one is stored. */
  const resumeOwned = async (): Promise<void> => {
    for (const [field, topic, partition] of owned()) {
      const offset = (await redis.hget(keys.offsets, field)) ?? undefined;
      if (offset === undefined) continue;
      reach(field, BigInt(offset));
      consumer.seek({ topic, partition, offset });
    }
  };
  const warn = (what: string) => (error: unknown) =>
    // Without a stored offset the partition is read from its start: slower, still right.
    logger.warn({ groupId, err: { message: (error as Error).message } }, what);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = Object.entries(payload.memberAssignment);
    const fields = new Set(owned().map(([field]) => field));
    for (const field of reached.keys()) if (!fields.has(field)) reached.delete(field);
    void resumeOwned().catch(warn('Could not resume offsets'));
  });

  let epoch = String(await EPOCH.run(redis, [keys.epoch], [randomUUID()]));
  const renew = async (): Promise<boolean> => {
    const now = String(
      await RENEW.run(
        redis,
        [keys.epoch, keys.offsets, keys.rebuilding],
        [epoch, randomUUID(), ...reachedArgs()],
      ),
    );
    if (now === epoch) return false;
    logger.warn({ groupId }, 'Redis lost the projection: reading its topics again from the start');
    // Seeks first, then the epoch, in one turn: no record of the old position is written
    // under the new epoch (kafkajs drops the rest of a batch once a seek is pending).
    // Offset 0 below the log's start is reset to the earliest (fromBeginning).
    for (const [, topic, partition] of owned()) consumer.seek({ topic, partition, offset: '0' });
    epoch = now;
    return true;
  };
  let checking: Promise<boolean> | undefined;
  /** True when it found Redis had lost the projection, and started reading it again. */
  const checkEpoch = (): Promise<boolean> =>
    (checking ??= renew().finally(() => {
      checking = undefined;
    }));
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
    const resume = async (): Promise<void> => {
      if (await checkEpoch()) return;
      const marks = owned().flatMap(([field]) => {
        const next = reached.get(field);
        return next === undefined ? [] : [field, next.toString()];
      });
      if (marks.length > 0) await MARK_BEHIND.run(redis, [keys.offsets, keys.rebuilding], marks);
      await resumeOwned();
    };
    void resume().catch(warn('Could not resume offsets after Redis came back'));
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
      const field = fieldOf(topic, partition);
      const next = BigInt(message.offset) + 1n;
      const fence: ProjectionFence = {
        keys: [keys.epoch, keys.offsets, keys.rebuilding],
        args: [epoch, field, next.toString()],
      };
      let written: boolean;
      try {
        const { value } = await codec.decode<T>(message.value, options.record);
        const meta = readEventMeta(message);
        written = await options.apply(
          value,
          {
            topic,
            partition,
            offset: message.offset,
            traceparent: meta.traceparent,
            publishedAt: meta.publishedAt,
          },
          fence,
        );
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        await sendToDeadLetter(
          producer,
          message,
          { topic, partition, offset: message.offset, consumer: groupId, reason: error.reason },
          logger,
        );
        written = await runFenced(redis, RAISE_OFFSET, fence, [], []);
      }
      // Fenced off: Redis lost the projection. Noticing it seeks every owned partition to
      // its start, and kafkajs then passes over the rest of this batch.
      if (written) reach(field, next);
      else await checkEpoch();
    },
  });
  return consumer;
}
