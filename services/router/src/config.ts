import { env, loadConfig, LOG_LEVELS, type Environment } from '@alert-exchange/platform';
import { z } from 'zod';

/** Reads and checks the router's environment once; throws a ConfigError naming bad variables. */
export function routerConfig(environment: Environment) {
  const c = loadConfig(
    {
      HOST: z.string().default('127.0.0.1'),
      PORT: env.port().default(8082),
      KAFKA_BROKERS: env.list(),
      SCHEMA_REGISTRY_URL: env.url(),
      LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
      DIRECTORY_TOPIC: z.string().default('directory.organisations'),
      ALERT_TOPIC_PREFIX: z
        .string()
        .regex(/^[a-z0-9._-]*$/)
        .default('alerts.'),
      ROUTER_GROUP: z
        .string()
        .regex(/^[a-z0-9.-]+$/)
        .default('router'),
      ROUTER_STATE_TOPIC: z.string().default('router.case-state'),
      DELIVERIES_TOPIC: z.string().default('deliveries'),
      ROUTING_RECORDS_TOPIC: z.string().default('routing-records'),
      TOPIC_REFRESH_MS: env.positiveInt().default(10_000),
      /** How long a closed case's personal data is kept before its keys are destroyed. */
      PERSONAL_DATA_RETENTION: env.durationMs().prefault('30d'),
      /** How often the eraser looks for cases whose retention has passed. */
      ERASURE_CHECK_INTERVAL: env.durationMs().prefault('1m'),
      ERASURES_TOPIC: z.string().default('privacy.erasures'),
    },
    environment,
  );
  return Object.freeze({
    host: c.HOST,
    port: c.PORT,
    kafkaBrokers: c.KAFKA_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    logLevel: c.LOG_LEVEL,
    directoryTopic: c.DIRECTORY_TOPIC,
    /** alerts.<cc>: the prefix, then two lower-case letters (tests use a prefix of their own). */
    alertTopics: new RegExp(`^${c.ALERT_TOPIC_PREFIX.replace(/\./g, '\\.')}[a-z]{2}$`),
    group: c.ROUTER_GROUP,
    stateTopic: c.ROUTER_STATE_TOPIC,
    deliveriesTopic: c.DELIVERIES_TOPIC,
    routingRecordsTopic: c.ROUTING_RECORDS_TOPIC,
    topicRefreshMs: c.TOPIC_REFRESH_MS,
    retentionMs: c.PERSONAL_DATA_RETENTION,
    erasureCheckMs: Math.max(100, c.ERASURE_CHECK_INTERVAL),
    erasuresTopic: c.ERASURES_TOPIC,
  });
}

export type RouterConfig = ReturnType<typeof routerConfig>;
