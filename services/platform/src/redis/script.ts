import type { Redis } from 'ioredis';

type ScriptCommand = (
  numberOfKeys: number,
  ...keysThenArgs: Array<string | number>
) => Promise<unknown>;

/**
 * A Lua script that Redis runs by its SHA1 (EVALSHA): its text goes over a connection once,
 * and again only when Redis answers NOSCRIPT (a restarted or flushed script cache). Made
 * once per script text, at module load; defined on each client the first time it runs there
 * (ioredis `defineCommand`, which keeps the SHA1 and falls back to EVAL by itself).
 */
export class RedisScript {
  private static defined = 0;
  private readonly name = `axScript${RedisScript.defined++}`;
  private readonly clients = new WeakSet<Redis>();

  constructor(readonly lua: string) {}

  /** Runs the script on `redis` with `keys` (KEYS) and `args` (ARGV); answers what it returns. */
  run(
    redis: Redis,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
  ): Promise<unknown> {
    if (!this.clients.has(redis)) {
      redis.defineCommand(this.name, { lua: this.lua });
      this.clients.add(redis);
    }
    const command = (redis as unknown as Record<string, ScriptCommand>)[this.name]!;
    return command.call(redis, keys.length, ...keys, ...args);
  }
}
