import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError, type Redis } from '@alert-exchange/platform';
import type { Caller } from '../auth/authenticate';

/**
 * Per-organisation request budgets, counted in Redis so that they hold across gateway
 * instances (a fixed one-minute window per organisation, rate-limiter-flexible's atomic
 * Lua counter). When Redis cannot answer, each instance falls back to an in-memory budget
 * of the same size, so a Redis outage neither fails requests nor lifts the limit.
 */
export function rateLimit(redis: Redis, options: { perMinute: number }): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'ax:rate',
    points: options.perMinute,
    duration: 60,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: options.perMinute, duration: 60 }),
  });
  return (_req, res, next) => {
    const caller = res.locals.caller as Caller;
    const tell = (answer: RateLimiterRes): void => {
      res.setHeader('RateLimit-Limit', String(options.perMinute));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, answer.remainingPoints)));
      res.setHeader('RateLimit-Reset', String(Math.ceil(answer.msBeforeNext / 1000)));
    };
    limiter.consume(caller.organisationId).then(
      (answer) => {
        tell(answer);
        next();
      },
      (refusal: unknown) => {
        if (!(refusal instanceof RateLimiterRes)) {
          next(refusal);
          return;
        }
        tell(refusal);
        const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        next(
          new RateLimitedError(
            `Your organisation has used its ${options.perMinute} requests of this minute`,
            seconds,
          ),
        );
      },
    );
  };
}
