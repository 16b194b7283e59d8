import { once } from 'node:events';
import express from 'express';
import {
  answerClientErrors,
  AvroCodec,
  ConfigError,
  TopicWatch,
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
} from '@alert-exchange/platform';
import { AuditAppender } from './appender';
import { auditConfig } from './config';
import { keysFromSeed, publicKeyToBase64 } from './domain/checkpoint';
import { AuditIndex } from './index-store';

async function main(): Promise<void> {
  const config = auditConfig(process.env);
  // First: the context manager must be in place before any span or log line.
  const telemetry = startTelemetry('audit', telemetryConfig(process.env));
  const logger = createLogger({ service: 'audit', level: config.logLevel });
  const keys = keysFromSeed(config.signingSeed);
  const kafka = createKafka({ clientId: 'audit', brokers: config.kafkaBrokers, logger });
  const admin = await connectAdmin(kafka, config.kafkaBrokers);
  const codec = new AvroCodec(config.schemaRegistryUrl);
  const producer = createDurableProducer(kafka);
  await producer.connect();
  const redis = createRedis(config.redisUrl, logger);
  const newAppender = (): AuditAppender =>
    new AuditAppender({
      kafka,
      admin,
      codec,
      producer,
      logger,
      group: config.group,
      topics: config.topics,
      keys,
      index: new AuditIndex(redis),
      checkpointEvery: config.checkpointEvery,
      checkpointIntervalMs: config.checkpointIntervalMs,
      onStopped: (error) => void appending.failed(error),
    });
  const topics = await TopicWatch.open(admin, config.alertTopics, logger, config.topicRefreshMs);
  // Every start is a fresh appender (fencing the last one, restoring the chain from the
  // committed trail), again with backoff after a stop, for as long as the broker is away.
  let appender = newAppender();
  const appending = new KeepRunning(
    'audit appender',
    {
      start: async () => {
        if (appending.restarting) {
          const counts = appender.counts;
          appender = newAppender();
          Object.assign(appender.counts, counts);
        }
        await appender.start(topics.list());
      },
      stop: () => appender.close(),
    },
    logger,
  );
  await appending.start();
  // kafkajs does not see topics created after it subscribed: resubscribe on a new country.
  topics.restartOnChange(async (list) => {
    await appender.stop();
    await appender.start(list);
  }, logger);
  const { routingRecords, deliveryStatus, acknowledgements, personalDataReads, erasures } =
    config.topics;
  const stopLag = observeConsumerLag({ admin, meter: telemetry.meter, logger }, [
    {
      group: config.group,
      topics: () => [
        ...topics.list(),
        routingRecords,
        deliveryStatus,
        acknowledgements,
        personalDataReads,
        erasures,
      ],
    },
  ]);

  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', telemetry.metricsHandler);
  app.use(
    healthRouter([
      { name: 'kafka', check: () => isKafkaReachable(admin) },
      { name: 'redis', check: () => isRedisReachable(redis) },
      { name: 'schemaRegistry', check: () => isRegistryReachable(config.schemaRegistryUrl) },
      { name: 'appending', check: () => Promise.resolve(appending.running) },
    ]),
  );
  // For operators (and tests): the trail's size and latest checkpoint. No personal data.
  app.get('/status', (_req, res) => {
    res.json({
      records: appender.size,
      publicKey: publicKeyToBase64(keys.publicKey),
      checkpoint: appender.checkpoint ?? null,
      ...appender.counts,
      restarts: appending.restarts,
    });
  });
  const server = app.listen(config.port, config.host);
  answerClientErrors(server);
  await once(server, 'listening');
  logger.info({ port: config.port, records: appender.size }, 'Audit appending');

  const shutdown = (): void => {
    server.close();
    topics.close();
    stopLag();
    void Promise.allSettled([appending.stop(), producer.disconnect()])
      .then(() => Promise.allSettled([admin.disconnect(), redis.quit(), telemetry.shutdown()]))
      .finally(() => process.exit(process.exitCode ?? 0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : (error as Error).message;
  process.stderr.write(`audit: ${message}\n`);
  process.exit(1);
});
