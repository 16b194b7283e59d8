import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startProcess, type ManagedProcess } from './processes';
import { waitUntil } from './wait';

/** The pinned broker version, read from infra/kafka/pom.xml so it is declared once. */
export function kafkaVersion(root: string): string {
  const pom = readFileSync(join(root, 'infra/kafka/pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('infra/kafka/pom.xml does not declare <kafka.version>');
  return match[1];
}

/**
 * Fetches the Apache Kafka broker jars from Maven Central into `<local>/kafka/<version>/libs`
 * once; later calls reuse them.
 */
export function ensureKafkaJars(root: string, local: string): string {
  const version = kafkaVersion(root);
  const libs = join(local, 'kafka', version, 'libs');
  if (existsSync(join(libs, `kafka_2.13-${version}.jar`))) return libs;
  mkdirSync(libs, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(root, 'infra/kafka/pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libs}`,
    ],
    { stdio: 'inherit' },
  );
  if (!readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) {
    throw new Error(`Maven did not fetch org.apache.kafka:kafka_2.13:${version} into ${libs}`);
  }
  return libs;
}

/** Where and how a single-node KRaft broker runs. */
export interface KafkaNodeOptions {
  readonly libs: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly heapMb?: number;
}

function serverProperties(o: KafkaNodeOptions): string {
  return [
    '# Written by services/devstack: a single-node KRaft broker on loopback.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${o.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${join(o.dataDir, 'log')}`,
    // Single node: internal topics cannot be replicated more than once.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=10',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0',
    // Topics are declared and provisioned, never created by a typo.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    '',
  ].join('\n');
}

function log4jConfig(logFile: string): string {
  return [
    'Configuration:',
    '  Appenders:',
    '    File:',
    '      name: file',
    `      fileName: "${logFile}"`,
    '      PatternLayout:',
    '        pattern: "[%d] %p %m (%c)%n"',
    '  Loggers:',
    '    Logger:',
    '      - name: kafka.request.logger',
    '        level: WARN',
    '      - name: org.apache.kafka.controller',
    '        level: WARN',
    '    Root:',
    '      level: INFO',
    '      AppenderRef:',
    '        - ref: file',
    '',
  ].join('\n');
}

/**
 * Starts a single-node KRaft broker (formatting its storage on first use, so a second
 * start keeps its data) and waits until it answers a metadata request.
 */
export async function startKafkaNode(o: KafkaNodeOptions): Promise<ManagedProcess> {
  mkdirSync(o.dataDir, { recursive: true });
  mkdirSync(o.logDir, { recursive: true });
  const properties = join(o.dataDir, 'server.properties');
  const log4j = join(o.dataDir, 'log4j2.yaml');
  writeFileSync(properties, serverProperties(o));
  writeFileSync(log4j, log4jConfig(join(o.logDir, 'kafka-server.log')));
  const classpath = join(o.libs, '*');
  const jvm = [
    `-Xms256m`,
    `-Xmx${o.heapMb ?? 768}m`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`,
  ];
  if (!existsSync(join(o.dataDir, 'log', 'meta.properties'))) {
    execFileSync(
      'java',
      [
        ...jvm,
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        `--cluster-id=${randomBytes(16).toString('base64url')}`,
        '-c',
        properties,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }
  const broker = startProcess({
    name: 'kafka',
    command: 'java',
    args: [...jvm, '-cp', classpath, 'kafka.Kafka', properties],
    logFile: join(o.logDir, 'kafka.out'),
  });
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${o.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await waitUntil(
      `Kafka on 127.0.0.1:${o.port} (log: ${join(o.logDir, 'kafka-server.log')})`,
      async () => {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        return brokers.length > 0;
      },
      { timeoutMs: 90_000, intervalMs: 500, failFast: broker.exited },
    );
  } catch (error) {
    await broker.stop(5_000);
    throw error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return broker;
}
