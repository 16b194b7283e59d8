import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AvroCodec,
  CaseKeyring,
  createDurableProducer,
  createKafka,
  createRedis,
  endOffsets,
  masterKeyFromEnvironment,
  silentLogger,
  type Kafka,
  type Message,
} from '@alert-exchange/platform';

/** Addresses of the stack the jest global setup started (or was pointed at). */
export interface TestStack {
  readonly kafkaBrokers: string[];
  readonly redisUrl: string;
  readonly schemaRegistryUrl: string;
  /** 'local' when this run started the processes itself and may restart them. */
  readonly kind: 'local' | 'external';
  /** The state file naming the local stack's processes. */
  readonly stateFile: string | undefined;
}

/** The stack of this test run; fails clearly when the integration setup did not run. */
export function testStack(): TestStack {
  const {
    KAFKA_BROKERS,
    REDIS_URL,
    SCHEMA_REGISTRY_URL,
    EXCHANGE_TEST_STACK,
    EXCHANGE_TEST_STACK_STATE,
  } = process.env;
  if (!KAFKA_BROKERS || !REDIS_URL || !SCHEMA_REGISTRY_URL) {
    throw new Error(
      'No test stack: run integration tests through jest --selectProjects integration',
    );
  }
  return {
    kafkaBrokers: KAFKA_BROKERS.split(','),
    redisUrl: REDIS_URL,
    schemaRegistryUrl: SCHEMA_REGISTRY_URL,
    kind: EXCHANGE_TEST_STACK === 'local' ? 'local' : 'external',
    stateFile: EXCHANGE_TEST_STACK_STATE,
  };
}

/** A name no other test uses (topics, groups, subjects, organisation ids). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A Kafka client on the test stack that logs nothing. */
export function testKafka(clientId = uniqueName('test')): Kafka {
  return createKafka({ clientId, brokers: testStack().kafkaBrokers, logger: silentLogger() });
}

/**
 * Polls `probe` until it returns a value other than undefined, and returns it; fails with
 * `what` after `timeoutMs` (generous by default: the machine is shared).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

/** A record as a test reads it back from a topic. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Every committed record of `topic` up to its current end, read with a throw-away
 * consumer group: what a downstream service reading read_committed would see. For topics
 * written without transactions (a transaction's commit marker is never delivered).
 */
export async function readTopic(topic: string, kafka: Kafka = testKafka()): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  // Retried while leadership settles (a broker just restarted answers NOT_LEADER a moment).
  const ends = await endOffsets(admin, topic).finally(() => admin.disconnect());
  const pending = new Map(
    ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
  );
  const records: ReadRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName('read-topic'), readUncommitted: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            records.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
              ),
            });
            const end = pending.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) {
              pending.delete(partition);
              if (pending.size === 0) resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Every committed record of a topic that transactions write, read as downstream services
 * read it (read_committed). Its end is found with a marker: a plain record written to each
 * partition now, which a read_committed reader sees only once every transaction before it
 * has ended; the markers are left out of the answer. Each call appends markers: use it
 * on a test's own topics.
 */
export async function readCommitted(
  topic: string,
  kafka: Kafka = testKafka(),
): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const partitions = await endOffsets(admin, topic).finally(() => admin.disconnect());
  const marker = uniqueName('end-marker');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: partitions.map(({ partition }) => ({
        partition,
        key: marker,
        value: null,
        headers: { 'ax-test-marker': marker },
      })),
    });
  } finally {
    await producer.disconnect();
  }
  const waiting = new Set(partitions.map((p) => p.partition));
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('read-committed'),
    readUncommitted: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers = Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            );
            if (headers['ax-test-marker'] !== undefined) {
              if (headers['ax-test-marker'] === marker) {
                waiting.delete(partition);
                if (waiting.size === 0) resolve();
              }
              return Promise.resolve();
            }
            if (message.key?.toString().startsWith('end-marker')) return Promise.resolve();
            records.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value,
              headers,
            });
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Creates a test's own topics and waits until each answers (leadership settles a moment
 * after creation; until then writes fail).
 */
export async function createTopics(
  kafka: Kafka,
  topics: Array<{
    topic: string;
    numPartitions: number;
    configEntries?: Array<{ name: string; value: string }>;
  }>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics, waitForLeaders: false });
    for (const { topic } of topics)
      await waitFor(`${topic} to answer`, () =>
        admin.fetchTopicOffsets(topic).then(
          () => true,
          () => undefined,
        ),
      );
  } finally {
    await admin.disconnect();
  }
}

/** Writes messages to a topic with an idempotent producer, acks=all, 500 at a time. */
export async function sendMessages(
  kafka: Kafka,
  topic: string,
  messages: Message[],
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500)
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

import { TEST_MASTER_KEY } from './service-process';
export {
  startReadyService,
  startService,
  TEST_MASTER_KEY,
  type ServiceProcess,
} from './service-process';
export { parseMetrics, sampleValue, scrapeMetrics, type MetricSample } from './prometheus';
export { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

/**
 * The cases' data keys as the services a test started hold them (their master key is
 * TEST_MASTER_KEY), to open what they sealed; `stop()` in afterAll.
 */
export async function testKeyring(
  kafka: Kafka = testKafka(),
  caseKeysTopic?: string,
): Promise<{ keyring: CaseKeyring; stop: () => Promise<void> }> {
  const producer = createDurableProducer(kafka);
  await producer.connect();
  const keyring = await CaseKeyring.open({
    kafka,
    codec: new AvroCodec(testStack().schemaRegistryUrl),
    producer,
    logger: silentLogger(),
    masterKey: masterKeyFromEnvironment({ PERSONAL_DATA_MASTER_KEY: TEST_MASTER_KEY }),
    caseKeysTopic,
  });
  return {
    keyring,
    stop: async () => {
      await keyring.stop();
      await producer.disconnect();
    },
  };
}
/** Every value of every key of the Redis database at `url`, as text, read by its type. */
export async function redisText(url: string): Promise<string> {
  const redis = createRedis(url, silentLogger());
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'zset'
              ? await redis.zrange(key, '0', '-1')
              : type === 'list'
                ? await redis.lrange(key, '0', '-1')
                : type === 'set'
                  ? await redis.smembers(key)
                  : await redis.xrange(key, '-', '+');
      parts.push(key, JSON.stringify(value));
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
export { newSecret, WebhookReceiver, type Behaviour, type Received } from './webhook-receiver';
export {
  OPERATOR_KEY,
  serviceMain,
  startGateway,
  startReadyGateway,
  type GatewayProcess,
} from './service-mains';
export { call, enrolOrganisation, example, type Answer, type Enrolled } from './api-calls';
export { ApiLedger, retryAfterMs, sleep, type CallKind } from './exchange/api-ledger';
export { Publisher, raiseBody, type BurstOptions, type Publication } from './exchange/publisher';
export { Acker, PullRecipient, WebhookRecipients, type Receipts } from './exchange/recipients';
export {
  ExchangeService,
  ScratchExchange,
  SERVICE_NAMES,
  type Restart,
  type ScratchExchangeOptions,
  type ServiceName,
} from './exchange/scratch-exchange';
