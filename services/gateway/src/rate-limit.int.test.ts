import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { freePort } from '@alert-exchange/devstack';
import { createRedis, problemHandler, silentLogger, type Redis } from '@alert-exchange/platform';
import { waitFor } from '@alert-exchange/testing';
import { call, enrol } from './api-client.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';
import { rateLimit } from './http/rate-limit';

const BUDGET = 6;

describe('per-organisation rate limits, shared by two gateway instances through Redis', () => {
  let enrolling: GatewayProcess;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    const limited = { RATE_LIMIT_PER_MINUTE: String(BUDGET) };
    [enrolling, a, b] = await Promise.all([
      startReadyGateway(),
      startReadyGateway(limited),
      startReadyGateway(limited),
    ]);
  });
  afterAll(async () => {
    await Promise.all([enrolling?.stop(), a?.stop(), b?.stop()]);
  });

  /** Waits until `base` knows `key`; a 401 is answered before the budget is counted. */
  const firstCall = (base: string, key: string) =>
    waitFor(`the key to reach ${base}`, async () => {
      const answer = await call(base, key, 'GET', '/v1/subscriptions');
      return answer.status === 401 ? undefined : answer;
    });

  it('counts one budget across instances, answers 429 with Retry-After past it, and leaves other organisations alone', async () => {
    const [busy, quiet] = await Promise.all([
      enrol(enrolling.base, { prefix: 'ngo-busy', roles: ['member-ngo'], country: 'PL' }),
      enrol(enrolling.base, { prefix: 'ngo-quiet', roles: ['member-ngo'], country: 'PL' }),
    ]);
    const answers = [await firstCall(a.base, busy.key), await firstCall(b.base, busy.key)];
    for (let i = 2; i < BUDGET; i++)
      answers.push(await call(i % 2 ? b.base : a.base, busy.key, 'GET', '/v1/subscriptions'));
    expect(answers.map((r) => r.status)).toEqual(Array(BUDGET).fill(200));
    expect(answers.map((r) => Number(r.headers.get('ratelimit-remaining')))).toEqual([
      5, 4, 3, 2, 1, 0,
    ]);

    for (const base of [a.base, b.base]) {
      const refused = await call(base, busy.key, 'GET', '/v1/subscriptions');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(refused.body.type).toMatch(/rate-limited$/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }

    expect((await firstCall(a.base, quiet.key)).status).toBe(200);
  });
});

describe('when Redis cannot answer', () => {
  let redis: Redis;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // A Redis client pointed at a port nobody listens on: the limiter must fall back to
    // its in-memory budget instead of failing the request.
    redis = createRedis(`redis://127.0.0.1:${await freePort()}`, silentLogger());
    const app = express();
    app.use((_req, res, next) => {
      res.locals.caller = { organisationId: 'ngo-offline', roles: ['member-ngo'] };
      next();
    });
    app.use(rateLimit(redis, { perMinute: 2 }));
    app.get('/ping', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(problemHandler(silentLogger()));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    redis?.disconnect();
  });

  it('still limits each instance in memory rather than failing or letting everything through', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/ping`)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
