import { startGateway, startReadyGateway } from './gateway-process.test-helper';

describe('the gateway process', () => {
  it('answers /healthz, and /readyz 200 once Kafka, Redis and the schema registry are reachable', async () => {
    const gateway = await startReadyGateway();
    try {
      const base = gateway.base;
      const ready = await (await fetch(`${base}/readyz`)).json();
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
      // src/http/openapi.test.ts checks that the paths are exactly the routes served.
      expect(Object.keys(document.paths)).toContain('/v1/alerts');
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

      // Node's parser refuses a head past 16 KiB before express runs: still problem+json.
      const oversized = await fetch(`${base}/v1/inbox`, {
        headers: { 'x-api-key': 'k'.repeat(20_000) },
      });
      expect(oversized.status).toBe(431);
      expect(oversized.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await oversized.json()).toMatchObject({
        status: 431,
        errors: [{ path: '/headers', message: expect.any(String) }],
      });
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start without its configuration, naming the missing variable', async () => {
    const gateway = await startGateway({ KAFKA_BROKERS: undefined });
    expect(await gateway.exited()).toBe(1);
    expect(gateway.stderr()).toMatch(/KAFKA_BROKERS is required/);
  });
});
