import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaJars, startKafkaNode } from './kafka';
import { localDir, repoRoot } from './paths';
import type { ManagedProcess } from './processes';
import { writeState } from './state';
import { freePort } from './wait';

/** A single-node Kafka of one test's own, which the test may stop and start again. */
export interface ScratchKafka {
  /** host:port of the broker; the same after a restart. */
  readonly brokers: string;
  /** The broker's process id while it runs (for its CPU and memory figures). */
  readonly pid: number | undefined;
  /** Stops the broker (SIGTERM, its data kept). */
  stop(): Promise<void>;
  /**
   * SIGKILL to the broker's process group, as a crash or a power cut would stop it: no
   * controlled shutdown, no flush beyond what the OS already has. Its data is kept.
   */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  remove(): Promise<void>;
}

/**
 * Starts a broker for a test that takes Kafka away (durability, restarts), so that the
 * run's shared broker stays up for everyone else. Its state file sits with the test
 * stacks' ones, so a test run killed before `remove` has it reaped by the next run.
 */
export async function startScratchKafka(): Promise<ScratchKafka> {
  const root = repoRoot();
  const libs = ensureKafkaJars(root, localDir(root));
  const dir = mkdtempSync(join(tmpdir(), 'exchange-scratch-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const stateFile = join(localDir(root), 'test-stacks', `${process.pid}-scratch-${port}.json`);
  const brokers = `127.0.0.1:${port}`;
  let node: ManagedProcess | undefined;
  const start = async (): Promise<void> => {
    node = await startKafkaNode({
      libs,
      dataDir: join(dir, 'kafka'),
      logDir: join(dir, 'logs'),
      port,
      controllerPort,
      heapMb: 384,
    });
    writeState(stateFile, {
      ownerPid: process.pid,
      processes: [{ name: 'scratch-kafka', pid: node.pid }],
      endpoints: { KAFKA_BROKERS: brokers },
    });
  };
  const stop = async (): Promise<void> => {
    await node?.stop();
    node = undefined;
  };
  const kill = async (): Promise<void> => {
    const killed = node;
    if (!killed) return;
    try {
      process.kill(-killed.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await killed.stop();
    node = undefined;
  };
  await start();
  return {
    brokers,
    get pid() {
      return node?.pid;
    },
    stop,
    kill,
    start,
    remove: async () => {
      await stop();
      rmSync(stateFile, { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
