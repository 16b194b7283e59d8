import { Redis } from '@alert-exchange/platform';
import { testStack } from '@alert-exchange/testing';
import {
  RAISE_OFFSET,
  fencedScript,
  projectionsIntact,
  runFenced,
  type ProjectionFence,
  type ProjectionKeys,
} from './projection-keys';

/**
 * The fence of projection writes, against a real Redis (docs/RELIABILITY.md, "Redis
 * losses"): a write lands only under the projection's epoch, moves the offset up only,
 * and clears a rebuilding mark once the offset reached before the loss is reached again.
 */
describe('fenced projection writes', () => {
  let redis: Redis;
  const keys: ProjectionKeys = {
    groupId: 'fence-test',
    offsets: 'fence-test:offsets',
    epoch: 'fence-test:epoch',
    rebuilding: 'fence-test:rebuilding',
  };
  const WRITE = fencedScript(`redis.call('SET', KEYS[4], ARGV[4])`);
  const fence = (epoch: string, next: number): ProjectionFence => ({
    keys: [keys.epoch, keys.offsets, keys.rebuilding],
    args: [epoch, 'deliveries:0', String(next)],
  });

  beforeAll(() => {
    // A Redis database of its own, flushed by this test alone.
    const ownDb = new URL(testStack().redisUrl);
    ownDb.pathname = '/13';
    redis = new Redis(ownDb.toString());
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it.each([
    ['the epoch is the writer’s', 'e1', true],
    ['the epoch is another', 'e2', false],
    ['there is no epoch (Redis lost everything)', undefined, false],
  ])('when %s, writes: %s', async (_, stored, lands) => {
    if (stored) await redis.set(keys.epoch, stored);
    expect(await runFenced(redis, WRITE, fence('e1', 8), ['fence-test:data'], ['x'])).toBe(lands);
    expect(await redis.get('fence-test:data')).toBe(lands ? 'x' : null);
    expect(await redis.hget(keys.offsets, 'deliveries:0')).toBe(lands ? '8' : null);
  });

  it('raises the stored offset and never lowers it', async () => {
    await redis.set(keys.epoch, 'e1');
    const table: Array<[next: number, stored: string]> = [
      [5, '5'],
      [9, '9'],
      [7, '9'],
      [10, '10'],
    ];
    for (const [next, stored] of table) {
      expect(await runFenced(redis, RAISE_OFFSET, fence('e1', next), [], [])).toBe(true);
      expect(await redis.hget(keys.offsets, 'deliveries:0')).toBe(stored);
    }
  });

  it('clears a rebuilding mark once the offset reached before is reached again', async () => {
    await redis.set(keys.epoch, 'e1');
    await redis.hset(keys.rebuilding, 'deliveries:0', '20', 'deliveries:1', '4');
    const table: Array<[next: number, marks: Record<string, string>]> = [
      [3, { 'deliveries:0': '20', 'deliveries:1': '4' }],
      [19, { 'deliveries:0': '20', 'deliveries:1': '4' }],
      [20, { 'deliveries:1': '4' }],
    ];
    for (const [next, marks] of table) {
      await runFenced(redis, RAISE_OFFSET, fence('e1', next), [], []);
      expect(await redis.hgetall(keys.rebuilding)).toEqual(marks);
    }
  });

  it.each([
    ['both epochs there and nothing rebuilding', ['a', 'b'], [], true],
    ['one epoch missing', ['a'], [], false],
    ['a partition of one being read again', ['a', 'b'], ['b'], false],
  ])('is intact with %s: %s', async (_, withEpoch, rebuilding, intact) => {
    const both = ['a', 'b'].map((name) => ({
      groupId: name,
      offsets: `intact-${name}:offsets`,
      epoch: `intact-${name}:epoch`,
      rebuilding: `intact-${name}:rebuilding`,
    }));
    for (const p of both) {
      if (withEpoch.includes(p.groupId)) await redis.set(p.epoch, 'e');
      if (rebuilding.includes(p.groupId)) await redis.hset(p.rebuilding, 'alerts.nl:0', '3');
    }
    expect(await projectionsIntact(redis, both)).toBe(intact);
  });
});
