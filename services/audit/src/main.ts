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
  const appender = new AuditAppender({
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
  });
  const topics = await TopicWatch.open(admin, config.alertTopics, logger, config.topicRefreshMs);
  await appender.start(topics.list());
  // kafkajs does not see topics created after it subscribed: resubscribe on a new country.
  topics.restartOnChange(async (list) => {
    await appender.stop();
    await appender.start(list);
  }, logger);
  const { routingRecords, deliveryStatus, acknowledgements, personalDataReads } = config.topics;
  const stopLag = observeConsumerLag({ admin, meter: telemetry.meter, logger }, [
    {
      group: config.group,
      topics: () => [
        ...topics.list(),
        routingRecords,
        deliveryStatus,
        acknowledgements,
        personalDataReads,
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
    ]),
  );
  // For operators (and tests): the trail's size and latest checkpoint. No personal data.
  app.get('/status', (_req, res) => {
    res.json({
      records: appender.size,
      publicKey: publicKeyToBase64(keys.publicKey),
      checkpoint: appender.checkpoint ?? null,
      ...appender.counts,
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
    void Promise.allSettled([appender.close(), producer.disconnect()])
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
