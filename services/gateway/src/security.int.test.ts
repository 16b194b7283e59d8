import { call, enrol, example, type Member } from './api-client.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

/**
 * The gateway's answers carry the security headers whatever they are (success, problem,
 * 404, docs), and request bodies are held to the size and depth limits with a 4xx problem
 * naming where, before any route walks them.
 */
describe('security headers and request limits', () => {
  let gateway: GatewayProcess;
  let ngo: Member;
  beforeAll(async () => {
    gateway = await startReadyGateway();
    ngo = await enrol(gateway.base, { prefix: 'ngo-sec', roles: ['member-ngo'], country: 'LU' });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const raw = (path: string, init: RequestInit = {}) => fetch(`${gateway.base}${path}`, init);
  const post = (body: string, key = ngo.key) =>
    raw('/v1/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body,
    });

  it.each<[string, () => Promise<Response>, number]>([
    [
      'a successful read',
      () =>
        raw('/v1/admin/organisations', { headers: { authorization: `Bearer ${OPERATOR_KEY}` } }),
      200,
    ],
    ['an unauthenticated request', () => raw('/v1/inbox'), 401],
    [
      'an unknown path',
      () => raw('/v1/nothing-here', { headers: { authorization: `Bearer ${OPERATOR_KEY}` } }),
      404,
    ],
    ['a bad body', () => post('{"caseCountry": '), 400],
    ['/healthz', () => raw('/healthz'), 200],
    ['/openapi.json', () => raw('/openapi.json'), 200],
  ])('%s carries every security header', async (_name, request, status) => {
    const response = await request();
    expect(response.status).toBe(status);
    const h = response.headers;
    expect(h.get('cache-control')).toBe('no-store');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('content-security-policy')).toEqual(
      expect.stringContaining("frame-ancestors 'none'"),
    );
    expect(h.get('content-security-policy')).toEqual(expect.stringContaining("default-src 'self'"));
    expect(h.get('x-powered-by')).toBeNull();
  });

  /** A valid alert whose `child` carries `extra` (the limits act before validation). */
  const alertWith = (extra: unknown): string => {
    const body = example('raise-runaway.json') as Record<string, unknown>;
    return JSON.stringify({ ...body, extra });
  };
  const deep = (levels: number): unknown => {
    let value: unknown = {};
    for (let i = 1; i < levels; i++) value = { d: value };
    return value;
  };

  it.each<[string, () => string, string, RegExp]>([
    [
      'nesting past 32 levels',
      () => alertWith(deep(40)),
      `/extra${'/d'.repeat(31)}`,
      /deeper than 32/,
    ],
    [
      'an array of 1 001 elements',
      () => alertWith(Array(1_001).fill(1)),
      '/extra',
      /more than 1000 entries/,
    ],
    [
      'an object of 1 001 members',
      () => alertWith(Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`m${i}`, i]))),
      '/extra',
      /more than 1000 entries/,
    ],
  ])('%s is a 400 problem naming where', async (_name, body, path, message) => {
    const response = await post(body());
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ path: string; message: string }> };
    expect(problem.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('100 000 levels of brackets (200 kB, under the size limit) are a 4xx, and the gateway goes on', async () => {
    const response = await post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await call(gateway.base, ngo.key, 'GET', '/v1/inbox')).status).toBe(200);
  });

  it('a body past 256 kB is a 413 problem', async () => {
    const response = await post(alertWith('x'.repeat(300_000)));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
