import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startProcess, type ManagedProcess } from './processes';
import { waitUntil } from './wait';

/** The redis-server binary, or a clear error saying how to install it. */
export function redisServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "redis-server is not installed: run 'apt-get install -y redis-server' (infra/bin/install does it)",
    );
  }
}

/**
 * Starts a Redis of our own on 127.0.0.1:`port`. `persistent` keeps an append-only file in
 * `dataDir` (the start command); tests run without persistence. Either way Redis is never
 * the only record of a fact: everything in it can be rebuilt from Kafka.
 */
export async function startRedisServer(o: {
  dataDir: string;
  logDir: string;
  port: number;
  persistent: boolean;
}): Promise<ManagedProcess> {
  mkdirSync(o.dataDir, { recursive: true });
  const persistence = o.persistent
    ? ['--appendonly', 'yes', '--save', '60 1']
    : ['--appendonly', 'no', '--save', ''];
  const server = startProcess({
    name: 'redis',
    command: redisServerPath(),
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--dir',
      o.dataDir,
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      ...persistence,
    ],
    logFile: join(o.logDir, 'redis.log'),
  });
  await waitUntil(
    `Redis on 127.0.0.1:${o.port}`,
    async () => {
      const client = new Redis({
        port: o.port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 20_000, failFast: server.exited },
  );
  return server;
}
