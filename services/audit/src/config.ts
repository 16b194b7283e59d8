import { env, loadConfig, LOG_LEVELS, type Environment } from '@alert-exchange/platform';
import { z } from 'zod';

/** Reads and checks the audit service's environment once; throws a ConfigError naming bad variables. */
export function auditConfig(environment: Environment) {
  const c = loadConfig(
    {
      HOST: z.string().default('127.0.0.1'),
      PORT: env.port().default(8084),
      KAFKA_BROKERS: env.list(),
      SCHEMA_REGISTRY_URL: env.url(),
      REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
      LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
      AUDIT_GROUP: z
        .string()
        .regex(/^[a-z0-9.-]+$/)
        .default('audit'),
      AUDIT_TOPIC: z.string().default('audit'),
      AUDIT_CHECKPOINTS_TOPIC: z.string().default('audit.checkpoints'),
      ALERT_TOPIC_PREFIX: z
        .string()
        .regex(/^[a-z0-9._-]*$/)
        .default('alerts.'),
      ROUTING_RECORDS_TOPIC: z.string().default('routing-records'),
      DELIVERY_STATUS_TOPIC: z.string().default('delivery-status'),
      ACKNOWLEDGEMENTS_TOPIC: z.string().default('acknowledgements'),
      PERSONAL_DATA_READS_TOPIC: z.string().default('personal-data-reads'),
      ERASURES_TOPIC: z.string().default('privacy.erasures'),
      TOPIC_REFRESH_MS: env.positiveInt().default(10_000),
      /** The Ed25519 signing key of checkpoints: its 32-byte seed in base64. A secret. */
      AUDIT_SIGNING_SEED: env.secret(),
      CHECKPOINT_EVERY: env.positiveInt().default(100),
      CHECKPOINT_INTERVAL: env.durationMs().default(10_000),
    },
    environment,
  );
  return Object.freeze({
    host: c.HOST,
    port: c.PORT,
    kafkaBrokers: c.KAFKA_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    redisUrl: c.REDIS_URL,
    logLevel: c.LOG_LEVEL,
    group: c.AUDIT_GROUP,
    alertTopics: new RegExp(`^${c.ALERT_TOPIC_PREFIX.replace(/\./g, '\\.')}[a-z]{2}$`),
    topics: Object.freeze({
      audit: c.AUDIT_TOPIC,
      checkpoints: c.AUDIT_CHECKPOINTS_TOPIC,
      routingRecords: c.ROUTING_RECORDS_TOPIC,
      deliveryStatus: c.DELIVERY_STATUS_TOPIC,
      acknowledgements: c.ACKNOWLEDGEMENTS_TOPIC,
      personalDataReads: c.PERSONAL_DATA_READS_TOPIC,
      erasures: c.ERASURES_TOPIC,
    }),
    topicRefreshMs: c.TOPIC_REFRESH_MS,
    signingSeed: c.AUDIT_SIGNING_SEED,
    checkpointEvery: c.CHECKPOINT_EVERY,
    checkpointIntervalMs: Number(c.CHECKPOINT_INTERVAL),
  });
}

export type AuditConfig = ReturnType<typeof auditConfig>;
