import { once } from 'node:events';
import express from 'express';
import type { Organisation } from '@alert-exchange/contracts';
import {
  answerClientErrors,
  AvroCodec,
  CaseKeyring,
  CompactedView,
  ConfigError,
  TopicWatch,
  KeepRunning,
  connectAdmin,
  createDurableProducer,
  createKafka,
  createLogger,
  healthRouter,
  startTelemetry,
  telemetryConfig,
  isKafkaReachable,
  isRegistryReachable,
  observeConsumerLag,
  privacyConfig,
} from '@alert-exchange/platform';
import { routerConfig } from './config';
import { Eraser } from './eraser';
import { AlertRouter } from './router';

async function main(): Promise<void> {
  const config = routerConfig(process.env);
  const privacy = privacyConfig(process.env);
  // First: the context manager must be in place before any span or log line.
  const telemetry = startTelemetry('router', telemetryConfig(process.env));
  const logger = createLogger({ service: 'router', level: config.logLevel });
  const kafka = createKafka({ clientId: 'router', brokers: config.kafkaBrokers, logger });
  const admin = await connectAdmin(kafka, config.kafkaBrokers);
  const codec = new AvroCodec(config.schemaRegistryUrl);
  // For the directory view's dead letters; routing itself writes only in transactions.
  const producer = createDurableProducer(kafka);
  await producer.connect();
  const directory = await CompactedView.open<Organisation>({
    kafka,
    codec,
    producer,
    logger,
    topic: config.directoryTopic,
    subject: 'eu.alertexchange.Organisation',
    idOf: (o) => o.id,
    name: 'router-directory',
  });
  const keyring = await CaseKeyring.open({ kafka, codec, producer, logger, ...privacy });
  const [state] = await admin
    .fetchTopicMetadata({ topics: [config.stateTopic] })
    .then((m) => m.topics);
  const router = new AlertRouter({
    kafka,
    codec,
    logger,
    directory: () => directory.list(),
    group: config.group,
    stateTopic: config.stateTopic,
    stateTopicPartitions: state!.partitions.length,
    deliveriesTopic: config.deliveriesTopic,
    routingRecordsTopic: config.routingRecordsTopic,
    keyring,
    closeCase: (caseId, closedAt) => keyring.closeCase(caseId, closedAt, config.retentionMs),
    meter: telemetry.meter,
    onStopped: (error) => void routing.failed(error),
  });
  const topics = await TopicWatch.open(admin, config.alertTopics, logger, config.topicRefreshMs);
  // A consumer kafkajs gave up on (the broker away too long) is started again, with
  // backoff, for as long as it takes: the router never exits on its own.
  const routing = new KeepRunning(
    'router',
    { start: () => router.start(topics.list()), stop: () => router.stop() },
    logger,
  );
  await routing.start();
  const eraser: Eraser = new Eraser({
    kafka,
    codec,
    producer,
    logger,
    keyring,
    topic: config.erasuresTopic,
    group: `${config.group}-eraser`,
    checkEveryMs: config.erasureCheckMs,
    onStopped: (error) => void erasing.failed(error),
  });
  const erasing = new KeepRunning('eraser', eraser, logger);
  await erasing.start();
  // kafkajs does not see topics created after it subscribed: restart on a new country.
  topics.restartOnChange(async (list) => {
    await router.stop();
    await router.start(list);
  }, logger);
  const stopLag = observeConsumerLag({ admin, meter: telemetry.meter, logger }, [
    { group: config.group, topics: () => topics.list() },
  ]);

  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', telemetry.metricsHandler);
  app.use(
    healthRouter([
      { name: 'kafka', check: () => isKafkaReachable(admin) },
      { name: 'schemaRegistry', check: () => isRegistryReachable(config.schemaRegistryUrl) },
      { name: 'routing', check: () => Promise.resolve(routing.running) },
      { name: 'erasing', check: () => Promise.resolve(erasing.running) },
    ]),
  );
  // For operators (and tests): what this instance routes with and has routed.
  app.get('/status', (_req, res) => {
    res.json({
      organisations: directory.list().length,
      topics: topics.list(),
      ...router.counts,
      restarts: routing.restarts,
      erasures: { ...eraser.counts, restarts: erasing.restarts },
    });
  });
  app.get('/directory/:id', (req, res) => {
    const organisation = directory.get(req.params.id);
    if (organisation)
      res.json({
        id: organisation.id,
        updatedAt: organisation.updatedAt,
        subscriptions: organisation.subscriptions.length,
      });
    else res.status(404).json({ status: 404, title: "Not in the router's directory" });
  });
  const server = app.listen(config.port, config.host);
  answerClientErrors(server);
  await once(server, 'listening');
  logger.info({ port: config.port, topics: topics.list().length }, 'Router routing');

  const shutdown = (): void => {
    server.close();
    topics.close();
    stopLag();
    void Promise.allSettled([
      routing.stop(),
      erasing.stop(),
      directory.close(),
      keyring.stop(),
      producer.disconnect(),
    ])
      .then(() => Promise.allSettled([admin.disconnect(), telemetry.shutdown()]))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : (error as Error).message;
  process.stderr.write(`router: ${message}\n`);
  process.exit(1);
});
