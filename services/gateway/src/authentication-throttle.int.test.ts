import { randomBytes, randomInt } from 'node:crypto';
import { freePort } from '@alert-exchange/devstack';
import { createRedis, silentLogger, type Redis } from '@alert-exchange/platform';
import { testStack, waitFor } from '@alert-exchange/testing';
import { call, enrol, type Member } from './api-client.test-helper';
import { AuthenticationThrottle } from './auth/authentication-throttle';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

/**
 * API-key guessing is throttled per client address and per key id, across gateway
 * instances through Redis. The gateways here trust X-Forwarded-For from loopback
 * (TRUST_PROXY=loopback), so each test client is an address of its own; the last suite
 * shows that without TRUST_PROXY the header is ignored.
 */

const BUDGET = 5;

/** A Redis database of this file's own, emptied first, so no other suite's failures count. */
async function ownDatabase(db: number): Promise<string> {
  const url = new URL(testStack().redisUrl);
  url.pathname = `/${db}`;
  const redis = createRedis(url.toString(), silentLogger());
  await redis.flushdb();
  redis.disconnect();
  return url.toString();
}

let address = randomInt(1, 200);
/** A client address nobody used yet (documentation ranges, RFC 5737). */
const newClient = () => `198.51.100.${address++ % 250}`;
const wrongSecret = () => randomBytes(32).toString('base64url');
const keyIdOf = (key: string) => key.split('_')[1]!;

describe('failed authentications, counted across two gateway instances', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let member: Member;
  const as = (base: string, client: string, key: string | undefined) =>
    call(base, key, 'GET', '/v1/subscriptions', undefined, { 'x-forwarded-for': client });

  beforeAll(async () => {
    const env = {
      REDIS_URL: await ownDatabase(11),
      AUTH_FAILURES_PER_WINDOW: String(BUDGET),
      AUTH_FAILURE_WINDOW: '5m',
      TRUST_PROXY: 'loopback',
    };
    [a, b] = await Promise.all([startReadyGateway(env), startReadyGateway(env)]);
    member = await enrol(a.base, { prefix: 'ngo-guessed', roles: ['member-ngo'], country: 'PL' });
    // Until both instances know the key; each try from an address of its own.
    for (const base of [a.base, b.base])
      await waitFor(`the key to reach ${base}`, async () =>
        (await as(base, newClient(), member.key)).status === 200 ? true : undefined,
      );
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('answers 429 problem+json with Retry-After on every instance once a client has failed its budget, even to a right key', async () => {
    const guesser = newClient();
    const statuses = [];
    for (let i = 0; i < BUDGET; i++)
      statuses.push(
        (await as(i % 2 ? b.base : a.base, guesser, `axk_${'0'.repeat(16)}_${wrongSecret()}`))
          .status,
      );
    expect(statuses).toEqual(Array(BUDGET).fill(401));
    for (const base of [a.base, b.base]) {
      // Refused before the key is looked at, so a refused guess tells nothing.
      const refused = await as(base, guesser, member.key);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(refused.body.detail).toMatch(/failed authentications/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(300);
    }
    // The bootstrap operator key from that address is refused too; from another it works.
    expect(
      (
        await call(a.base, OPERATOR_KEY, 'GET', '/v1/admin/organisations', undefined, {
          'x-forwarded-for': guesser,
        })
      ).status,
    ).toBe(429);
    expect(
      (
        await call(a.base, OPERATOR_KEY, 'GET', '/v1/admin/organisations', undefined, {
          'x-forwarded-for': newClient(),
        })
      ).status,
    ).toBe(200);
  });

  it('never blocks another client, and does not count successful authentications', async () => {
    const guesser = newClient();
    for (let i = 0; i < BUDGET + 2; i++) await as(a.base, guesser, 'not-a-key');
    expect((await as(a.base, guesser, member.key)).status).toBe(429);

    const holder = newClient();
    for (let i = 0; i < 3 * BUDGET; i++)
      expect((await as(b.base, holder, member.key)).status).toBe(200);
    for (let i = 0; i < BUDGET - 1; i++)
      expect((await as(b.base, holder, 'typo')).status).toBe(401);
    expect((await as(a.base, holder, member.key)).status).toBe(200);
    // A request without a key guesses nothing and is not counted.
    const anonymous = newClient();
    for (let i = 0; i < BUDGET + 1; i++)
      expect((await as(a.base, anonymous, undefined)).status).toBe(401);
    expect((await as(a.base, anonymous, member.key)).status).toBe(200);
  });

  it('counts the IPv6 addresses of one /64 as one client', async () => {
    const prefix = `2001:db8:${randomInt(1, 0xffff).toString(16)}:1`;
    for (let i = 0; i < BUDGET; i++)
      expect((await as(a.base, `${prefix}::${i + 1}`, 'guess')).status).toBe(401);
    expect((await as(b.base, `${prefix}:0:0:0:ffff`, member.key)).status).toBe(429);
    expect(
      (await as(b.base, `2001:db8:${randomInt(1, 0xffff).toString(16)}:2::1`, member.key)).status,
    ).toBe(200);
  });

  it('gives a guesser spread over many addresses one guess per address at a key id under attack, while its holder keeps working', async () => {
    const victim = await enrol(a.base, {
      prefix: 'ngo-victim',
      roles: ['member-ngo'],
      country: 'PL',
    });
    const holder = newClient();
    await waitFor('the victim key on both instances', async () =>
      (await as(a.base, holder, victim.key)).status === 200 &&
      (await as(b.base, holder, victim.key)).status === 200
        ? true
        : undefined,
    );
    const forged = () => `axk_${keyIdOf(victim.key)}_${wrongSecret()}`;
    for (let i = 0; i < BUDGET; i++)
      expect((await as(i % 2 ? a.base : b.base, newClient(), forged())).status).toBe(401);
    // A fresh address: its first guess is looked at and fails; its second is refused.
    const next = newClient();
    expect((await as(a.base, next, forged())).status).toBe(401);
    expect((await as(b.base, next, forged())).status).toBe(429);
    // Other keys from that address are not refused on account of the victim's key id.
    expect((await as(a.base, next, member.key)).status).toBe(200);
    // The holder, whose address never failed, is never refused.
    for (const base of [a.base, b.base])
      expect((await as(base, holder, victim.key)).status).toBe(200);
  });
});

describe('without TRUST_PROXY', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startReadyGateway({
      REDIS_URL: await ownDatabase(12),
      AUTH_FAILURES_PER_WINDOW: '3',
      TRUST_PROXY: undefined,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('ignores X-Forwarded-For, so a guesser cannot draw a fresh budget by naming another address', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await call(gateway.base, 'guess', 'GET', '/v1/subscriptions', undefined, {
            'x-forwarded-for': newClient(),
          })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('when Redis cannot answer', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = createRedis(`redis://127.0.0.1:${await freePort()}`, silentLogger());
  });
  afterAll(() => redis?.disconnect());

  it('each instance still throttles in memory, rather than failing or letting guesses through', async () => {
    const throttle = new AuthenticationThrottle(redis, { perWindow: 2, windowMs: 60_000 });
    const client = { address: '203.0.113.9' };
    expect(await throttle.refusal(client)).toBeUndefined();
    await throttle.failed(client);
    expect(await throttle.refusal(client)).toBeUndefined();
    await throttle.failed(client);
    expect(await throttle.refusal(client)).toBeGreaterThanOrEqual(1);
    expect(await throttle.refusal({ address: '203.0.113.10' })).toBeUndefined();
  });
});
