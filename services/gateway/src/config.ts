import {
  ConfigError,
  env,
  loadConfig,
  LOG_LEVELS,
  type Environment,
} from '@alert-exchange/platform';
import { z } from 'zod';

/** Reads and checks the gateway's environment once; throws a ConfigError naming bad variables. */
export function gatewayConfig(environment: Environment) {
  const c = loadConfig(
    {
      HOST: z.string().default('127.0.0.1'),
      PORT: env.port().default(8080),
      KAFKA_BROKERS: env.list(),
      REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
      SCHEMA_REGISTRY_URL: env.url(),
      LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
      EXCHANGE_OPERATOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
      DIRECTORY_TOPIC: z.string().default('directory.organisations'),
      KEYS_TOPIC: z.string().default('directory.api-keys'),
      WEBHOOK_SECRETS_TOPIC: z.string().default('directory.webhook-secrets'),
      ROUTING_RECORDS_TOPIC: z.string().default('routing-records'),
      DELIVERIES_TOPIC: z.string().min(1).default('deliveries'),
      ACKNOWLEDGEMENTS_TOPIC: z.string().min(1).default('acknowledgements'),
      DELIVERY_COMMANDS_TOPIC: z.string().min(1).default('delivery-commands'),
      PERSONAL_DATA_READS_TOPIC: z.string().min(1).default('personal-data-reads'),
      RATE_LIMIT_PER_MINUTE: env.positiveInt().default(600),
    },
    environment,
  );
  // The gateway reads deliveries and writes the others: one topic for two of them would
  // feed acknowledgements, replay commands or read records to the inbox as poison, or mix
  // them in the audit trail's inputs.
  const delivery = [
    'DELIVERIES_TOPIC',
    'ACKNOWLEDGEMENTS_TOPIC',
    'DELIVERY_COMMANDS_TOPIC',
    'PERSONAL_DATA_READS_TOPIC',
  ] as const;
  const shared = delivery.filter((name, i) =>
    delivery.some((other, j) => j !== i && c[other] === c[name]),
  );
  if (shared.length > 0)
    throw new ConfigError(
      `Invalid configuration: ${shared.join(', ')} must name different topics`,
      shared,
    );
  return Object.freeze({
    host: c.HOST,
    port: c.PORT,
    kafkaBrokers: c.KAFKA_BROKERS,
    redisUrl: c.REDIS_URL,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    logLevel: c.LOG_LEVEL,
    operatorKey: c.EXCHANGE_OPERATOR_KEY,
    directoryTopic: c.DIRECTORY_TOPIC,
    keysTopic: c.KEYS_TOPIC,
    webhookSecretsTopic: c.WEBHOOK_SECRETS_TOPIC,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    routingRecordsTopic: c.ROUTING_RECORDS_TOPIC,
    deliveriesTopic: c.DELIVERIES_TOPIC,
    acknowledgementsTopic: c.ACKNOWLEDGEMENTS_TOPIC,
    deliveryCommandsTopic: c.DELIVERY_COMMANDS_TOPIC,
    personalDataReadsTopic: c.PERSONAL_DATA_READS_TOPIC,
  });
}

export type GatewayConfig = ReturnType<typeof gatewayConfig>;
