import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from '@alert-exchange/devstack';
import { testStack, waitFor } from '@alert-exchange/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

function startGateway(env: NodeJS.ProcessEnv): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

describe('the gateway process', () => {
  it('answers /healthz, and /readyz 200 once Kafka, Redis and the schema registry are reachable', async () => {
    const stack = testStack();
    const port = await freePort();
    const { child, stderr } = startGateway({
      PORT: String(port),
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      EXCHANGE_OPERATOR_KEY: 'test-operator-key-0123456789abcdefghijklmnop',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitFor('the gateway to be ready', async () => {
        if (child.exitCode !== null) throw new Error(`the gateway exited: ${stderr()}`);
        const response = await fetch(`${base}/readyz`);
        return response.status === 200 ? response.json() : undefined;
      });
      expect(ready).toEqual({
        status: 'ready',
        checks: { kafka: 'up', redis: 'up', schemaRegistry: 'up' },
      });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const openapi = await fetch(`${base}/openapi.json`);
      expect(openapi.status).toBe(200);
      const document = (await openapi.json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(document.openapi).toBe('3.1.0');
      for (const [path, method] of [
        ['/healthz', 'get'],
        ['/readyz', 'get'],
        ['/v1/admin/organisations', 'post'],
        ['/v1/admin/organisations', 'get'],
        ['/v1/admin/organisations/{id}', 'get'],
        ['/v1/admin/organisations/{id}', 'patch'],
        ['/v1/admin/organisations/{id}', 'delete'],
        ['/v1/admin/organisations/{id}/keys', 'post'],
        ['/v1/admin/organisations/{id}/keys/{keyId}', 'delete'],
      ] as const) {
        expect(document.paths[path]?.[method]).toBeDefined();
      }
      const docs = await fetch(`${base}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('/docs/init.js');
      for (const asset of [
        '/docs/init.js',
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/assets/swagger-ui.css',
      ]) {
        expect((await fetch(`${base}${asset}`)).status).toBe(200);
      }

      const missing = await fetch(`${base}/nothing-here`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await missing.json()).toMatchObject({
        status: 404,
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
  });

  it('refuses to start without its configuration, naming the missing variable', async () => {
    const { child, stderr } = startGateway({
      PORT: '0',
      REDIS_URL: 'redis://127.0.0.1:1',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1',
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr()).toMatch(/KAFKA_BROKERS is required/);
  });
});
