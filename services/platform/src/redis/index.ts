import { Redis } from 'ioredis';
import type { Logger } from '../logging';

export { Redis } from 'ioredis';
export { RedisScript } from './script';

/**
 * Connects to Redis. Redis is a cache, a rate limiter and a scheduler here, never the only
 * record of anything: callers must be able to rebuild what they keep in it from Kafka.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('error', (error: Error) => {
    logger.warn({ err: { message: error.message } }, 'Redis connection error');
  });
  return redis;
}

/** True when Redis answers PING. */
export async function isRedisReachable(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
