import {
  ConfigError,
  env,
  loadConfig,
  LOG_LEVELS,
  type Environment,
} from '@alert-exchange/platform';
import { z } from 'zod';
import { DEFAULT_SCHEDULE, scheduleProblems } from './domain/retry-schedule';

/** Reads and checks the dispatcher's environment once; throws a ConfigError naming bad variables. */
export function dispatcherConfig(environment: Environment) {
  const c = loadConfig(
    {
      HOST: z.string().default('127.0.0.1'),
      PORT: env.port().default(8083),
      KAFKA_BROKERS: env.list(),
      SCHEMA_REGISTRY_URL: env.url(),
      REDIS_URL: z.string().startsWith('redis://'),
      LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
      DISPATCHER_GROUP: z
        .string()
        .regex(/^[a-z0-9.-]+$/)
        .default('dispatcher'),
      DIRECTORY_TOPIC: z.string().default('directory.organisations'),
      WEBHOOK_SECRETS_TOPIC: z.string().default('directory.webhook-secrets'),
      DELIVERIES_TOPIC: z.string().default('deliveries'),
      DELIVERY_STATUS_TOPIC: z.string().default('delivery-status'),
      ACKNOWLEDGEMENTS_TOPIC: z.string().default('acknowledgements'),
      ESCALATIONS_TOPIC: z.string().default('escalations'),
      DELIVERY_COMMANDS_TOPIC: z.string().default('delivery-commands'),
      RETRY_INITIAL_DELAY: env.durationMs().default(DEFAULT_SCHEDULE.initialDelayMs),
      RETRY_FACTOR: z.coerce.number().default(DEFAULT_SCHEDULE.factor),
      RETRY_MAX_DELAY: env.durationMs().default(DEFAULT_SCHEDULE.maxDelayMs),
      RETRY_GIVE_UP_AFTER: env.durationMs().default(DEFAULT_SCHEDULE.giveUpAfterMs),
      RETRY_JITTER: z.coerce.number().default(DEFAULT_SCHEDULE.jitter),
      WEBHOOK_TIMEOUT: env.durationMs().default(10_000),
      ENDPOINT_CONCURRENCY: env.positiveInt().default(4),
      BREAKER_FAILURES: env.positiveInt().default(5),
      BREAKER_COOLDOWN: env.durationMs().default(30_000),
      BREAKER_MAX_COOLDOWN: env.durationMs().default(300_000),
      WEBHOOK_ALLOW_LOOPBACK: env.flag().default(false),
      WEBHOOK_ALLOW_PRIVATE: env.flag().default(false),
      WEBHOOK_ALLOW_HTTP: env.flag().default(false),
    },
    environment,
  );
  const schedule = Object.freeze({
    initialDelayMs: Number(c.RETRY_INITIAL_DELAY),
    factor: c.RETRY_FACTOR,
    maxDelayMs: Number(c.RETRY_MAX_DELAY),
    giveUpAfterMs: Number(c.RETRY_GIVE_UP_AFTER),
    jitter: c.RETRY_JITTER,
  });
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: RETRY_* ${problems.join('; ')}`, [
      'RETRY_INITIAL_DELAY',
      'RETRY_FACTOR',
      'RETRY_MAX_DELAY',
      'RETRY_GIVE_UP_AFTER',
      'RETRY_JITTER',
    ]);
  }
  return Object.freeze({
    host: c.HOST,
    port: c.PORT,
    kafkaBrokers: c.KAFKA_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    redisUrl: c.REDIS_URL,
    logLevel: c.LOG_LEVEL,
    group: c.DISPATCHER_GROUP,
    topics: Object.freeze({
      directory: c.DIRECTORY_TOPIC,
      webhookSecrets: c.WEBHOOK_SECRETS_TOPIC,
      deliveries: c.DELIVERIES_TOPIC,
      status: c.DELIVERY_STATUS_TOPIC,
      acknowledgements: c.ACKNOWLEDGEMENTS_TOPIC,
      escalations: c.ESCALATIONS_TOPIC,
      commands: c.DELIVERY_COMMANDS_TOPIC,
    }),
    schedule,
    webhookTimeoutMs: Number(c.WEBHOOK_TIMEOUT),
    endpointConcurrency: c.ENDPOINT_CONCURRENCY,
    breaker: Object.freeze({
      failures: c.BREAKER_FAILURES,
      cooldownMs: Number(c.BREAKER_COOLDOWN),
      maxCooldownMs: Number(c.BREAKER_MAX_COOLDOWN),
    }),
    /** SSRF exceptions: the demo and tests call receivers on loopback over plain http. */
    ssrf: Object.freeze({
      allowLoopback: c.WEBHOOK_ALLOW_LOOPBACK,
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
      allowInsecure: c.WEBHOOK_ALLOW_HTTP,
    }),
  });
}

export type DispatcherConfig = ReturnType<typeof dispatcherConfig>;
