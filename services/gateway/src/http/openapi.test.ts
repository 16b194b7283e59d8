import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { silentLogger, otelTrace } from '@alert-exchange/platform';
import { createApp, type GatewayDependencies } from './app';
import { openApiDocument } from './openapi';

const GATEWAY = join(__dirname, '..', '..');

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD /path` the express app routes, path parameters written as {name}. */
function routesOf(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${path}`);
    }
    return layer.handle.stack ? routesOf(layer.handle.stack) : [];
  });
}

describe('the OpenAPI document', () => {
  it('describes exactly the routes the gateway serves', () => {
    // Only the route table is read: none of these dependencies is called.
    const placeholder = {} as never;
    const app = createApp({
      logger: silentLogger(),
      readiness: [],
      directory: placeholder,
      keys: placeholder,
      webhookSecrets: placeholder,
      operatorKey: undefined,
      alerts: placeholder,
      inbox: placeholder,
      acks: placeholder,
      deadLetters: placeholder,
      audit: placeholder,
      erasure: placeholder,
      telemetry: { tracer: otelTrace.getTracer('test'), metricsHandler: () => undefined },
      rateLimit: { redis: placeholder, perMinute: 1 },
      authFailures: { perWindow: 1, windowMs: 60_000 },
      trustProxy: false,
      webhookDestinations: { allowLoopback: false, allowPrivate: false, allowInsecure: false },
    } satisfies GatewayDependencies);
    const served = routesOf((app.router as unknown as { stack: Layer[] }).stack)
      // Swagger UI's own files are part of /docs.
      .filter((route) => !route.startsWith('GET /docs/'));
    const documented = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(15);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });

  it('passes the Redocly linter with every rule of recommended-strict that applies', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(openApiDocument, null, 2));
    const redocly = join(GATEWAY, 'node_modules', '.bin', 'redocly');
    const run = promisify(execFile)(
      redocly,
      ['lint', file, '--config', join(GATEWAY, 'redocly.yaml'), '--format', 'stylish'],
      { cwd: GATEWAY, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } },
    );
    await expect(
      run.catch((e: { stdout: string }) => Promise.reject(new Error(e.stdout))),
    ).resolves.toBeDefined();
  }, 60_000);
});
