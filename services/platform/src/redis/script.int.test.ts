import { createHash, randomUUID } from 'node:crypto';
import { testStack } from '@alert-exchange/testing';
import { Redis } from 'ioredis';
import { RedisScript } from './script';

/** Scripts on a real Redis: loaded once, then run by SHA1; loaded again when forgotten. */
describe('RedisScript', () => {
  let redis: Redis;
  const ADD = new RedisScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
  const sha = createHash('sha1').update(ADD.lua).digest('hex');
  const key = `script-test:${randomUUID()}`;

  beforeAll(async () => {
    redis = new Redis(testStack().redisUrl, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it('runs with its keys and arguments, and Redis keeps it by its SHA1', async () => {
    expect(await ADD.run(redis, [key], [2])).toBe(2);
    expect(await ADD.run(redis, [key], [3])).toBe(5);
    expect(await ADD.run(redis, [key], ['4'])).toBe(9);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
  });

  it('runs again after Redis forgot its scripts (NOSCRIPT: the text is sent again)', async () => {
    await redis.script('FLUSH');
    expect(await ADD.run(redis, [key], [1])).toBe(10);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
  });
});
