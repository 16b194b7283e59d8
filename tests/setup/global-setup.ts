import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { localDir, reapOrphans, startStack, type Stack } from '@alert-exchange/devstack';
import { join } from 'node:path';
import { loadCatalogue, registerCatalogue } from '@alert-exchange/contracts';
import { connectAdmin, createKafka, silentLogger } from '@alert-exchange/platform';
import { loadTopicDeclaration, provisionTopics } from '@alert-exchange/provisioning';
import { dockerIsReachable, startContainerStack } from './containers';

/**
 * Starts one real Kafka broker, Redis and schema registry for the whole integration run:
 * the stack named by KAFKA_BROKERS, REDIS_URL and SCHEMA_REGISTRY_URL when all are set;
 * otherwise testcontainers when a Docker engine answers (EXCHANGE_TEST_DOCKER=0 turns that
 * off); otherwise local processes on free ports with fresh data (Maven-fetched Kafka and
 * Apicurio, Debian's redis-server). The addresses reach the tests through process.env.
 */
export default async function globalSetup(): Promise<void> {
  const given = ['KAFKA_BROKERS', 'REDIS_URL', 'SCHEMA_REGISTRY_URL'].filter(
    (name) => process.env[name],
  );
  if (given.length === 3) {
    process.env.EXCHANGE_TEST_STACK = 'external';
    await provisionStack();
    return;
  }
  if (given.length > 0) {
    throw new Error(
      `Set all of KAFKA_BROKERS, REDIS_URL and SCHEMA_REGISTRY_URL, or none (only ${given.join(', ')} set)`,
    );
  }
  if (dockerIsReachable()) {
    const containers = await startContainerStack();
    Object.assign(process.env, containers.endpoints, { EXCHANGE_TEST_STACK: 'external' });
    (globalThis as { __exchangeStack?: Pick<Stack, 'stop'> }).__exchangeStack = containers;
    await provisionStack();
    return;
  }
  const stacksDir = join(localDir(), 'test-stacks');
  await reapOrphans(stacksDir);
  const dir = mkdtempSync(join(tmpdir(), 'exchange-test-'));
  const stateFile = join(stacksDir, `${process.pid}.json`);
  const stack: Stack = await startStack({
    dir,
    stateFile,
    ports: 'free',
    persistentRedis: false,
    ...(process.env.REGISTRY_JAVA_HOME ? { registryJavaHome: process.env.REGISTRY_JAVA_HOME } : {}),
  });
  Object.assign(process.env, stack.endpoints, {
    EXCHANGE_TEST_STACK: 'local',
    EXCHANGE_TEST_STACK_DIR: dir,
    EXCHANGE_TEST_STACK_STATE: stateFile,
  });
  (globalThis as { __exchangeStack?: Stack }).__exchangeStack = stack;
  await provisionStack();
}

/** The provisioning steps: every declared topic, every schema at FULL_TRANSITIVE. */
async function provisionStack(): Promise<void> {
  await registerCatalogue(process.env.SCHEMA_REGISTRY_URL!, loadCatalogue());
  const brokers = process.env.KAFKA_BROKERS!.split(',');
  const admin = await connectAdmin(
    createKafka({ clientId: 'test-setup', brokers, logger: silentLogger() }),
    brokers,
  );
  try {
    await provisionTopics(
      admin,
      loadTopicDeclaration(join(__dirname, '..', '..', 'infra', 'topics.yaml')),
    );
  } finally {
    await admin.disconnect();
  }
}
