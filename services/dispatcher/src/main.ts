import { once } from 'node:events';
import express from 'express';
import type { Organisation, WebhookSecrets } from '@alert-exchange/contracts';
import {
  answerClientErrors,
  AvroCodec,
  CaseKeyring,
  CompactedView,
  ConfigError,
  connectAdmin,
  createDurableProducer,
  createKafka,
  createLogger,
  createRedis,
  healthRouter,
  startTelemetry,
  telemetryConfig,
  isKafkaReachable,
  isRedisReachable,
  isRegistryReachable,
  KeepRunning,
  observeConsumerLag,
  privacyConfig,
} from '@alert-exchange/platform';
import { dispatcherConfig } from './config';
import { Dispatcher } from './dispatcher';
import { WebhookSender } from './webhook-sender';

async function main(): Promise<void> {
  const config = dispatcherConfig(process.env);
  const privacy = privacyConfig(process.env);
  // First: the context manager must be in place before any span or log line.
  const telemetry = startTelemetry('dispatcher', telemetryConfig(process.env));
  const logger = createLogger({ service: 'dispatcher', level: config.logLevel });
  const kafka = createKafka({ clientId: 'dispatcher', brokers: config.kafkaBrokers, logger });
  const admin = await connectAdmin(kafka, config.kafkaBrokers);
  const codec = new AvroCodec(config.schemaRegistryUrl);
  const redis = createRedis(config.redisUrl, logger);
  const producer = createDurableProducer(kafka);
  await producer.connect();
  const directory = await CompactedView.open<Organisation>({
    kafka,
    codec,
    producer,
    logger,
    topic: config.topics.directory,
    subject: 'eu.alertexchange.Organisation',
    idOf: (o) => o.id,
    name: `${config.group}-directory`,
  });
  const secrets = await CompactedView.open<WebhookSecrets>({
    kafka,
    codec,
    producer,
    logger,
    topic: config.topics.webhookSecrets,
    subject: 'eu.alertexchange.WebhookSecrets',
    idOf: (s) => s.organisationId,
    name: `${config.group}-webhook-secrets`,
  });
  const keyring = await CaseKeyring.open({ kafka, codec, producer, logger, ...privacy });
  const sender = new WebhookSender({
    ...config.ssrf,
    timeoutMs: config.webhookTimeoutMs,
    connectionsPerOrigin: config.endpointConcurrency,
  });
  const newDispatcher = (): Dispatcher =>
    new Dispatcher({
      kafka,
      admin,
      codec,
      producer,
      redis,
      logger,
      sender,
      directory,
      secrets,
      keyring,
      config,
      meter: telemetry.meter,
      onStopped: (error) => void delivering.failed(error),
    });
  // A consumer kafkajs gave up on (the broker away too long) means a fresh dispatcher,
  // started again with backoff until the broker is back: the process does not exit.
  let dispatcher = newDispatcher();
  const delivering = new KeepRunning(
    'dispatcher',
    {
      start: async () => {
        if (delivering.restarting) {
          const counts = dispatcher.counts;
          dispatcher = newDispatcher();
          Object.assign(dispatcher.counts, counts);
        }
        await dispatcher.start();
      },
      stop: () => dispatcher.stop(),
    },
    logger,
  );
  await delivering.start();
  const stopLag = observeConsumerLag({ admin, meter: telemetry.meter, logger }, [
    { group: config.group, topics: () => [config.topics.deliveries] },
    { group: `${config.group}-commands`, topics: () => [config.topics.commands] },
  ]);

  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', telemetry.metricsHandler);
  app.use(
    healthRouter([
      { name: 'kafka', check: () => isKafkaReachable(admin) },
      { name: 'redis', check: () => isRedisReachable(redis) },
      { name: 'schemaRegistry', check: () => isRegistryReachable(config.schemaRegistryUrl) },
      { name: 'delivering', check: () => Promise.resolve(delivering.running) },
    ]),
  );
  // For operators (and tests): what this instance holds and has done. No personal data.
  app.get('/status', (_req, res) => {
    res.json({
      organisations: directory.list().length,
      ...dispatcher.snapshot(),
      restarts: delivering.restarts,
    });
  });
  const server = app.listen(config.port, config.host);
  answerClientErrors(server);
  await once(server, 'listening');
  logger.info(
    { port: config.port, schedule: config.schedule, ssrf: config.ssrf },
    'Dispatcher delivering',
  );

  const shutdown = (): void => {
    server.close();
    stopLag();
    void Promise.allSettled([
      delivering.stop(),
      directory.close(),
      secrets.close(),
      keyring.stop(),
      sender.close(),
      producer.disconnect(),
    ])
      .then(() => Promise.allSettled([admin.disconnect(), redis.quit(), telemetry.shutdown()]))
      .finally(() => process.exit(process.exitCode ?? 0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : (error as Error).message;
  process.stderr.write(`dispatcher: ${message}\n`);
  process.exit(1);
});
