import { join } from 'node:path';
import { ensureKafkaJars, startKafkaNode } from './kafka';
import { localDir, repoRoot } from './paths';
import type { ManagedProcess } from './processes';
import { startRedisServer } from './redis';
import { ensureRegistryDistribution, findJava21, startRegistry, CCOMPAT_PATH } from './registry';
import { writeState } from './state';
import { freePort } from './wait';

/** The addresses of a running stack, in the form services read from their environment. */
export interface StackEndpoints {
  readonly KAFKA_BROKERS: string;
  readonly REDIS_URL: string;
  readonly SCHEMA_REGISTRY_URL: string;
}

/** A running set of Kafka, Redis and schema registry processes. */
export interface Stack {
  readonly endpoints: StackEndpoints;
  readonly processes: readonly ManagedProcess[];
  /** Stops every process of the stack, newest first. */
  stop(): Promise<void>;
}

/** Ports of the persistent stack the start command runs; tests use free ports instead. */
export const DEFAULT_PORTS = {
  kafka: 9092,
  controller: 9093,
  redis: 6380,
  registry: 8081,
  registryManagement: 9081,
};

export interface StackOptions {
  /** Folder for data and logs; kept between runs by the start command, fresh per test run. */
  readonly dir: string;
  /** State file naming the processes, so `stop` and `reap` can find them. */
  readonly stateFile: string;
  /** Fixed ports (the start command) or free ones (tests). */
  readonly ports: typeof DEFAULT_PORTS | 'free';
  /** Redis with an append-only file (the start command) or none (tests). */
  readonly persistentRedis: boolean;
  readonly registryJavaHome?: string;
  readonly onProgress?: (message: string) => void;
}

/**
 * Starts Kafka (KRaft, single node), Redis and Apicurio Registry on loopback, fetching the
 * jars from Maven Central on first use. If any part fails to start, what was started is stopped.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const root = repoRoot();
  const local = localDir(root);
  const progress = options.onProgress ?? (() => undefined);
  const ports =
    options.ports === 'free'
      ? {
          kafka: await freePort(),
          controller: await freePort(),
          redis: await freePort(),
          registry: await freePort(),
          registryManagement: await freePort(),
        }
      : options.ports;
  const logDir = join(options.dir, 'logs');
  progress('fetching Kafka and schema registry jars (first run only)');
  const libs = ensureKafkaJars(root, local);
  const registryHome = ensureRegistryDistribution(root, local);
  const java21 = findJava21(options.registryJavaHome);

  const started: ManagedProcess[] = [];
  const endpoints: StackEndpoints = {
    KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
    REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
    SCHEMA_REGISTRY_URL: `http://127.0.0.1:${ports.registry}${CCOMPAT_PATH}`,
  };
  const record = (): void =>
    writeState(options.stateFile, {
      ownerPid: process.pid,
      processes: started.map(({ name, pid }) => ({ name, pid })),
      endpoints: { ...endpoints },
    });
  const stop = async (): Promise<void> => {
    for (const p of [...started].reverse()) await p.stop();
    started.length = 0;
    record();
  };
  // Redis starts while Kafka does; a failure of either must still stop both.
  let redisStart: Promise<void> = Promise.resolve();
  try {
    progress(`starting Kafka on ${endpoints.KAFKA_BROKERS}`);
    redisStart = startRedisServer({
      dataDir: join(options.dir, 'redis'),
      logDir,
      port: ports.redis,
      persistent: options.persistentRedis,
    }).then((p) => {
      started.push(p);
      record();
    });
    started.push(
      await startKafkaNode({
        libs,
        dataDir: join(options.dir, 'kafka'),
        logDir,
        port: ports.kafka,
        controllerPort: ports.controller,
      }),
    );
    record();
    await redisStart;
    progress(`starting the schema registry on ${endpoints.SCHEMA_REGISTRY_URL}`);
    started.push(
      await startRegistry({
        home: registryHome,
        java: java21,
        port: ports.registry,
        managementPort: ports.registryManagement,
        kafkaBrokers: endpoints.KAFKA_BROKERS,
        logDir,
      }),
    );
    record();
  } catch (error) {
    await redisStart.catch(() => undefined);
    await stop();
    throw error;
  }
  return { endpoints, processes: started, stop };
}
