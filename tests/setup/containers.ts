import { execFileSync } from 'node:child_process';

/** True when a Docker engine answers (not merely a docker client installed). */
export function dockerIsReachable(): boolean {
  if (process.env.EXCHANGE_TEST_DOCKER === '0') return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 5_000,
    });
    return true;
  } catch {
    return false;
  }
}

/** A stack of containers: Kafka (KRaft), Redis and Confluent's schema registry. */
export interface ContainerStack {
  readonly endpoints: { KAFKA_BROKERS: string; REDIS_URL: string; SCHEMA_REGISTRY_URL: string };
  stop(): Promise<void>;
}

/**
 * For users with Docker: the same three dependencies as testcontainers. Imported lazily, so
 * machines without Docker never load testcontainers. Not exercised on our Docker-less
 * machines; the local-process stack is the one CI runs.
 */
export async function startContainerStack(): Promise<ContainerStack> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { RedisContainer } = await import('@testcontainers/redis');
  const network = await new Network().start();
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.1')
    .withKraft()
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withEnvironment({
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .start();
  const redis = await new RedisContainer('redis:7.2').start();
  const registry = await new GenericContainer('confluentinc/cp-schema-registry:7.9.1')
    .withNetwork(network)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
    })
    .withExposedPorts(8081)
    .withWaitStrategy(Wait.forHttp('/subjects', 8081).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  return {
    endpoints: {
      KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      REDIS_URL: redis.getConnectionUrl(),
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
    },
    stop: async () => {
      await registry.stop();
      await redis.stop();
      await kafka.stop();
      await network.stop();
    },
  };
}
