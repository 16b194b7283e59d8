import { Kafka, logLevel, type Admin, type Producer, type ProducerConfig } from 'kafkajs';
import { UnavailableError } from '../errors';
import type { Logger } from '../logging';

export type { Admin, Consumer, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
export {
  DEFAULT_RESTART_POLICY,
  KeepRunning,
  restartDelayMs,
  type RestartPolicy,
  type Supervised,
} from './keep-running';
export { CoalescingSender } from './coalescing-sender';
export type { PartitionedRecord, RecordPosition } from './coalescing';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Builds the Kafka client of a service, with kafkajs' own log lines bridged to the
 * service's logger (at warn and above: kafkajs is chatty at info).
 */
export function createKafka(options: {
  clientId: string;
  brokers: readonly string[];
  logger: Logger;
  /** How long to keep retrying a connection before giving up; default 30 s. */
  connectionTimeoutMs?: number;
}): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
        log[LEVEL_NAMES[level] ?? 'info'](fields, String(message));
      },
  });
}

/**
 * A producer that only reports success once every in-sync replica has the record
 * (acks=all is kafkajs' default for `send`; `idempotent` makes broker-side retries safe).
 */
export function createDurableProducer(
  kafka: Kafka,
  config: Omit<ProducerConfig, 'idempotent'> = {},
): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    maxInFlightRequests: 5,
    ...config,
    idempotent: true,
  });
}

/** Asks the cluster to describe itself: true when at least one broker answers. */
export async function isKafkaReachable(admin: Admin): Promise<boolean> {
  try {
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  }
}

/** Connects an admin client, turning a failure into an `UnavailableError` naming the brokers. */
export async function connectAdmin(kafka: Kafka, brokers: readonly string[]): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return admin;
  } catch (cause) {
    throw new UnavailableError(`Kafka is not reachable at ${brokers.join(',')}`, { cause });
  }
}
