import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Acknowledgement, DeliveryReplay, PersonalDataRead } from '@alert-exchange/contracts';
import {
  answerClientErrors,
  AvroCodec,
  CaseKeyring,
  ConfigError,
  connectAdmin,
  createDurableProducer,
  createKafka,
  createLogger,
  startTelemetry,
  telemetryConfig,
  createRedis,
  isKafkaReachable,
  isRedisReachable,
  isRegistryReachable,
  privacyConfig,
} from '@alert-exchange/platform';
import { gatewayConfig } from './config';
import { openDirectory, openKeyStore, openWebhookSecretStore } from './directory/directory';
import { AuditIndex } from '@alert-exchange/audit';
import { createApp } from './http/app';
import { AlertPublisher, AlertTopics } from './alerts/publisher';
import { IdempotencyStore } from './alerts/idempotency';
import { CaseStore } from './cases/case-store';
import { startCaseProjection, startRoutingProjection } from './cases/case-projection';
import { InboxStore } from './inbox/inbox-store';
import { startDeliveryProjection } from './inbox/delivery-projection';
import { RecordPublisher } from './kafka/record-publisher';
import { Acknowledgements, ACKNOWLEDGEMENT_SUBJECT } from './acknowledgement/acknowledgements';
import { DeadLetterStore } from './dead-letters/dead-letter-store';
import { DELIVERY_REPLAY_SUBJECT } from './http/dead-letter-routes';
import { PersonalDataReads, PERSONAL_DATA_READ_SUBJECT } from './reads/personal-data-reads';

async function main(): Promise<void> {
  const config = gatewayConfig(process.env);
  const privacy = privacyConfig(process.env);
  // First: the context manager must be in place before any span or log line.
  const telemetry = startTelemetry('gateway', telemetryConfig(process.env));
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const kafka = createKafka({ clientId: 'gateway', brokers: config.kafkaBrokers, logger });
  const admin = await connectAdmin(kafka, config.kafkaBrokers);
  const redis = createRedis(config.redisUrl, logger);
  await redis.connect().catch((cause: unknown) => {
    throw new Error(`Redis is not reachable at ${config.redisUrl}`, { cause });
  });

  const producer = createDurableProducer(kafka);
  await producer.connect();
  const codec = new AvroCodec(config.schemaRegistryUrl);
  const directory = await openDirectory({ kafka, codec, producer, logger }, config.directoryTopic);
  const keys = await openKeyStore({ kafka, codec, producer, logger }, config.keysTopic);
  // The cases' data keys: personal data is sealed before Kafka and opened at the edge.
  const webhookSecrets = await openWebhookSecretStore(
    { kafka, codec, producer, logger },
    config.webhookSecretsTopic,
  );

  // Publishing gives up after about 10 s of failed retries, so that a client hears 503
  // while the broker is away rather than waiting on a request that may never finish.
  const alertProducer = createDurableProducer(kafka, {
    retry: { initialRetryTime: 200, retries: 4, maxRetryTime: 3_000 },
  });
  await alertProducer.connect();
  // The cases' data keys: personal data is sealed before Kafka and opened at the edge. A
  // new case's key is written with the publishing producer, so it gives up as soon.
  const keyring = await CaseKeyring.open({
    kafka,
    codec,
    producer: alertProducer,
    logger,
    ...privacy,
  });
  const cases = new CaseStore(redis);
  const topics = await AlertTopics.open(admin, logger);
  let projection = await startCaseProjection(
    { kafka, codec, producer, store: cases, logger, redis },
    topics.topics(),
  );
  // A country topic created later: follow it too (the restart resumes from Redis offsets).
  let following = Promise.resolve();
  topics.onChange((list) => {
    following = following
      .then(async () => {
        await projection.disconnect();
        projection = await startCaseProjection(
          { kafka, codec, producer, store: cases, logger, redis },
          list,
        );
      })
      .catch((error: unknown) => {
        logger.fatal({ err: { message: (error as Error).message } }, 'Case projection stopped');
        process.exit(1);
      });
  });
  const routing = await startRoutingProjection(
    { kafka, codec, producer, store: cases, logger, redis },
    config.routingRecordsTopic,
  );
  const inbox = new InboxStore(redis, keyring);
  const deliveries = await startDeliveryProjection(
    { kafka, codec, producer, logger, redis },
    inbox,
    config.deliveriesTopic,
  );
  // Acknowledgements and replay requests are answered like alerts: after acks=all, or 503.
  const acknowledgements = new Acknowledgements(
    redis,
    await RecordPublisher.open<Acknowledgement>(
      codec,
      alertProducer,
      ACKNOWLEDGEMENT_SUBJECT,
      'acknowledgement',
    ),
    config.acknowledgementsTopic,
    randomUUID,
  );
  const deadLetters = {
    deadLetters: new DeadLetterStore(redis, logger),
    replays: await RecordPublisher.open<DeliveryReplay>(
      codec,
      alertProducer,
      DELIVERY_REPLAY_SUBJECT,
      'replay request',
    ),
    topic: config.deliveryCommandsTopic,
    ids: randomUUID,
    logger,
  };
  // Every case shown is recorded first, the same way: acks=all, or 503 and nothing shown.
  const reads = new PersonalDataReads(
    await RecordPublisher.open<PersonalDataRead>(
      codec,
      alertProducer,
      PERSONAL_DATA_READ_SUBJECT,
      'record of this read',
    ),
    config.personalDataReadsTopic,
  );
  const alerts = {
    publisher: await AlertPublisher.open(codec, alertProducer, telemetry.meter),
    topics,
    cases,
    idempotency: new IdempotencyStore(redis),
    reads,
    keyring,
    logger,
  };

  const app = createApp({
    logger,
    alerts,
    rateLimit: { redis, perMinute: config.rateLimitPerMinute },
    authFailures: config.authFailures,
    trustProxy: config.trustProxy,
    webhookDestinations: config.webhookDestinations,
    directory,
    keys,
    webhookSecrets,
    operatorKey: config.operatorKey,
    inbox: { store: inbox, reads, logger },
    acks: { inbox, acknowledgements, meter: telemetry.meter },
    deadLetters,
    audit: { index: new AuditIndex(redis) },
    erasure: {
      keyring,
      log: { producer: alertProducer, codec, topic: config.erasuresTopic },
      cases,
      ids: randomUUID,
      logger,
    },
    telemetry,
    readiness: [
      { name: 'kafka', check: () => isKafkaReachable(admin) },
      { name: 'redis', check: () => isRedisReachable(redis) },
      { name: 'schemaRegistry', check: () => isRegistryReachable(config.schemaRegistryUrl) },
    ],
  });
  const server = app.listen(config.port, config.host);
  answerClientErrors(server);
  await once(server, 'listening');
  logger.info({ host: config.host, port: config.port }, 'Gateway listening');

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'Gateway stopping');
    server.close();
    void Promise.allSettled([
      directory.close(),
      keys.close(),
      webhookSecrets.close(),
      keyring.stop(),
      producer.disconnect(),
      alertProducer.disconnect(),
      projection.disconnect(),
      routing.disconnect(),
      deliveries.disconnect(),
      Promise.resolve(topics.close()),
      admin.disconnect(),
      redis.quit(),
      telemetry.shutdown(),
    ]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // Start-up failures exit with a clear message; ConfigError names the variables.
  const message =
    error instanceof ConfigError
      ? error.message
      : `Gateway failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
