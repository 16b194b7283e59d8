import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '@alert-exchange/devstack';
import { testStack, waitFor } from '@alert-exchange/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/** The bootstrap operator key the test gateways accept. */
export const OPERATOR_KEY = 'test-operator-key-0123456789abcdefghijklmnop';

/** A gateway process started by a test, from the compiled dist/main.js. */
export interface GatewayProcess {
  readonly base: string;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts a gateway on a free port against the test stack; `env` overrides or removes
 * (undefined) variables. Does not wait for readiness: see `startReadyGateway`.
 */
export async function startGateway(env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const stack = testStack();
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'silent',
      PORT: String(port),
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      EXCHANGE_OPERATOR_KEY: OPERATOR_KEY,
      // Suites call faster than any member would; rate-limit.int.test.ts sets a small budget.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    base: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    exited: () => exit,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** Starts a gateway and waits until its /readyz answers 200. */
export async function startReadyGateway(env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const gateway = await startGateway(env);
  let exited = false;
  void gateway.exited().then(() => {
    exited = true;
  });
  try {
    await waitFor('the gateway to be ready', async () => {
      if (exited) throw new Error(`the gateway exited: ${gateway.stderr()}`);
      return (await fetch(`${gateway.base}/readyz`)).status === 200 ? true : undefined;
    });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return gateway;
}
