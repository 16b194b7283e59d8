import { RedisScript, type Redis } from '@alert-exchange/platform';

/**
 * Where a projection keeps its bookkeeping in Redis, beside what it projects
 * (docs/RELIABILITY.md, "Redis losses"):
 * - `offsets`: the next offset of each partition it has applied (field `<topic>:<partition>`);
 * - `epoch`: a random value set once, which vanishes or changes when Redis loses its data;
 * - `rebuilding`: the partitions being read again after a loss, each with the offset the
 *   projection had reached before it (field `<topic>:<partition>`, value the next offset).
 */
export interface ProjectionKeys {
  readonly groupId: string;
  readonly offsets: string;
  readonly epoch: string;
  readonly rebuilding: string;
}

function keysOf(groupId: string, offsets: string): ProjectionKeys {
  return {
    groupId,
    offsets,
    epoch: `ax:projection-epoch:${groupId}`,
    rebuilding: `ax:projection-rebuilding:${groupId}`,
  };
}

/** The gateway's projections: every recipient's inbox, the cases, who each case went to. */
export const DELIVERY_PROJECTION = keysOf(
  'gateway-delivery-projection',
  'ax:delivery-projection:offsets',
);
export const CASE_PROJECTION = keysOf('gateway-case-projection', 'ax:case-projection:offsets');
export const ROUTING_PROJECTION = keysOf(
  'gateway-routing-projection',
  'ax:routing-projection:offsets',
);

/**
 * What a projection's write is fenced with: the three keys and three arguments that
 * `fencedScript` expects before a script's own.
 */
export interface ProjectionFence {
  readonly keys: readonly [epoch: string, offsets: string, rebuilding: string];
  readonly args: readonly [epoch: string, field: string, next: string];
}

/** Runs a script made by `fencedScript`: true when it wrote, false when it was fenced off. */
export async function runFenced(
  redis: Redis,
  script: RedisScript,
  fence: ProjectionFence,
  keys: readonly string[],
  args: readonly string[],
): Promise<boolean> {
  const written = await script.run(redis, [...fence.keys, ...keys], [...fence.args, ...args]);
  return Number(written) === 1;
}

/**
 * A projection write that cannot land in a Redis that lost the projection: it returns 0
 * and writes nothing unless the epoch key holds the writer's epoch (a flushed or
 * restarted-empty Redis has none until the projection notices the loss), else runs
 * `body` (its keys from KEYS[4], its arguments from ARGV[4]), raises the partition's
 * stored offset (never lowers it), and clears the partition's rebuilding mark once the
 * offset reached before the loss is reached again; returns 1.
 * KEYS: epoch, offsets, rebuilding. ARGV: epoch, `<topic>:<partition>`, next offset.
 * Run by its SHA1 (EVALSHA, RedisScript): every record of every projection runs one, and
 * the text of each need not cross the wire each time.
 */
export function fencedScript(body: string): RedisScript {
  return new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
${body}
local current = redis.call('HGET', KEYS[2], ARGV[2])
if (not current) or (tonumber(current) < tonumber(ARGV[3])) then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
end
local target = redis.call('HGET', KEYS[3], ARGV[2])
if target and tonumber(target) <= tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[3], ARGV[2])
end
return 1`);
}

/** Only raises the offset: a record passed over (a dead letter) moves the projection too. */
export const RAISE_OFFSET = fencedScript('');

/**
 * Whether each projection holds all it had before: its epoch is there (else Redis lost
 * it and nobody has noticed yet) and no partition is being read again. KEYS: for each
 * projection its epoch and rebuilding keys. Returns 1 or 0.
 */
const INTACT = new RedisScript(`
for i = 1, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[i]) == 0 then return 0 end
  if redis.call('HLEN', KEYS[i + 1]) > 0 then return 0 end
end
return 1`);

/**
 * False while a projection may be missing what it held (docs/RELIABILITY.md, "Redis
 * losses"): a record not found then may still be on its way back from Kafka, so "not
 * found" is no answer and the caller gets 503 with Retry-After instead.
 */
export async function projectionsIntact(
  redis: Redis,
  projections: readonly ProjectionKeys[],
): Promise<boolean> {
  const keys = projections.flatMap((p) => [p.epoch, p.rebuilding]);
  return Number(await INTACT.run(redis, keys, [])) === 1;
}
