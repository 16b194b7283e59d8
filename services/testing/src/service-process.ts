import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { freePort } from '@alert-exchange/devstack';
import { testStack, waitFor } from './index';

/** How much of a service's log a test keeps in memory. */
const MAX_KEPT_LOG = 64 * 1024 * 1024;

/** A service process started by a test from its compiled dist/main.js. */
export interface ServiceProcess {
  /** http://127.0.0.1:<port> of its HTTP server. */
  readonly base: string;
  readonly pid: number;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /**
   * Its log (stdout) so far, kept when the caller set LOG_LEVEL to a level that logs
   * (empty otherwise): for tests that read every line a service wrote.
   */
  stdout(): string;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown of any kind, then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * The master key of the cases' data keys in every service a test starts (docs/PRIVACY.md):
 * a test's own, fixed so that a test can open what the services sealed.
 */
export const TEST_MASTER_KEY = 'dGVzdC1tYXN0ZXIta2V5LW9mLXRoZS1leGNoYW5nZSE=';

/**
 * Starts `main` on a free port against the test stack (or the addresses `env` names) (KAFKA_BROKERS, REDIS_URL,
 * SCHEMA_REGISTRY_URL, PORT, LOG_LEVEL=silent); `env` overrides or removes (undefined)
 * variables. A `PORT` given in `env` is kept (a test restarting a service on the address
 * its clients know); otherwise a free one is taken. Does not wait for readiness: see
 * `startReadyService`.
 */
export async function startService(
  main: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  // A caller naming all three addresses (a scratch exchange outside jest) needs no test stack.
  const stack =
    env.KAFKA_BROKERS && env.REDIS_URL && env.SCHEMA_REGISTRY_URL
      ? {
          kafkaBrokers: [env.KAFKA_BROKERS],
          redisUrl: env.REDIS_URL,
          schemaRegistryUrl: env.SCHEMA_REGISTRY_URL,
        }
      : testStack();
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // EXCHANGE_TEST_LOGS=<dir>: keep each service's log (at LOG_LEVEL=info) for debugging.
  const logs = process.env.EXCHANGE_TEST_LOGS;
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: logs ? 'info' : 'silent',
      PORT: String(port),
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      PERSONAL_DATA_MASTER_KEY: TEST_MASTER_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = env.LOG_LEVEL !== undefined && env.LOG_LEVEL !== 'silent';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (keep && stdout.length < MAX_KEPT_LOG) stdout += chunk.toString();
  });
  if (logs) {
    mkdirSync(logs, { recursive: true });
    const name = `${basename(dirname(dirname(main)))}-${Date.now()}-${port}.log`;
    child.stdout?.pipe(createWriteStream(join(logs, name)));
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exit;
  };
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stderr: () => stderr,
    stdout: () => stdout,
    exited: () => exit,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** Starts a service and waits until its /readyz answers 200. */
export async function startReadyService(
  main: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  const service = await startService(main, env);
  let exited = false;
  void service.exited().then(() => {
    exited = true;
  });
  try {
    await waitFor(`${main} to be ready`, async () => {
      if (exited) throw new Error(`${main} exited: ${service.stderr()}`);
      const answer = await fetch(`${service.base}/readyz`).catch(() => undefined);
      return answer?.status === 200 ? true : undefined;
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
