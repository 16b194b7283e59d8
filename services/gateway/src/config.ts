import { isIP } from 'node:net';
import {
  ConfigError,
  env,
  loadConfig,
  LOG_LEVELS,
  type Environment,
} from '@alert-exchange/platform';
import { z } from 'zod';

/**
 * `TRUST_PROXY`: which peers may tell the gateway a client's address in
 * `X-Forwarded-For` (express `trust proxy`). `false` (the default: the gateway is reached
 * directly), a number of proxy hops in front of it (1 to 10), or a comma-separated list of
 * proxy addresses, CIDR ranges and express's names `loopback`, `linklocal`, `uniquelocal`.
 * `true` (trust every peer) is refused: any client could then name any address and step
 * around the throttle of failed authentications.
 */
function trustProxy() {
  const names = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const entry = (item: string): boolean => {
    if (names.has(item)) return true;
    const [address = '', prefix, ...rest] = item.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  };
  return z.string().transform((text, ctx): false | number | string[] => {
    const value = text.trim();
    if (value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
    const items = value.split(',').map((item) => item.trim());
    if (items.length > 0 && items.every(entry)) return items;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be false, a number of proxy hops (1 to 10), or proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated',
    });
    return z.NEVER;
  });
}

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
      ERASURES_TOPIC: z.string().min(1).default('privacy.erasures'),
      RATE_LIMIT_PER_MINUTE: env.positiveInt().default(600),
      AUTH_FAILURES_PER_WINDOW: env.positiveInt().default(20),
      AUTH_FAILURE_WINDOW: env.durationMs().default(300_000),
      TRUST_PROXY: trustProxy().default(false),
      WEBHOOK_ALLOW_LOOPBACK: env.flag().default(false),
      WEBHOOK_ALLOW_PRIVATE: env.flag().default(false),
      WEBHOOK_ALLOW_HTTP: env.flag().default(false),
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
    authFailures: {
      perWindow: c.AUTH_FAILURES_PER_WINDOW,
      windowMs: Math.max(1_000, Number(c.AUTH_FAILURE_WINDOW)),
    },
    trustProxy: c.TRUST_PROXY,
    /** Webhook URLs refused at registration: the same WEBHOOK_ALLOW_* as the dispatcher's. */
    webhookDestinations: Object.freeze({
      allowLoopback: c.WEBHOOK_ALLOW_LOOPBACK,
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
      allowInsecure: c.WEBHOOK_ALLOW_HTTP,
    }),
    routingRecordsTopic: c.ROUTING_RECORDS_TOPIC,
    deliveriesTopic: c.DELIVERIES_TOPIC,
    acknowledgementsTopic: c.ACKNOWLEDGEMENTS_TOPIC,
    deliveryCommandsTopic: c.DELIVERY_COMMANDS_TOPIC,
    personalDataReadsTopic: c.PERSONAL_DATA_READS_TOPIC,
    erasuresTopic: c.ERASURES_TOPIC,
  });
}

export type GatewayConfig = ReturnType<typeof gatewayConfig>;
