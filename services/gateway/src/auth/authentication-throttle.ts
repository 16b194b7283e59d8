import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from '@alert-exchange/platform';

/** How many failed authentications a client may make in a window, and the window. */
export interface ThrottleBudget {
  readonly perWindow: number;
  readonly windowMs: number;
}

/** Who presented a credential: the client's address and, when the key names one, its key id. */
export interface Presenter {
  readonly address: string;
  readonly keyId?: string;
}

/**
 * Failed authentications counted per client address and per key id, in Redis so that
 * every gateway instance draws on one budget (rate-limiter-flexible's atomic counters, a
 * fixed window); when Redis cannot answer, each instance counts in memory instead, so an
 * outage neither lifts the throttle nor fails requests.
 *
 * A client is refused (before its credential is looked at, so a refused guess tells it
 * nothing) once its address has failed `perWindow` times in the window; or once the key
 * id it presents has failed `perWindow` times from anywhere and its own address has
 * failed at least once: a guesser spread over many addresses gets one guess per address
 * at a key under attack, while the key's holder, whose address has not failed, is never
 * refused. Successful authentications are not counted.
 */
export class AuthenticationThrottle {
  private readonly byAddress: RateLimiterRedis;
  private readonly byKeyId: RateLimiterRedis;

  constructor(
    redis: Redis,
    readonly budget: ThrottleBudget,
  ) {
    const limiter = (keyPrefix: string) => {
      const options = { points: budget.perWindow, duration: Math.ceil(budget.windowMs / 1000) };
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix,
        ...options,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.byAddress = limiter('ax:auth-failures:address');
    this.byKeyId = limiter('ax:auth-failures:key');
  }

  /** Seconds the presenter must wait before its credential is looked at, or undefined. */
  async refusal(presenter: Presenter): Promise<number | undefined> {
    const [address, key] = await Promise.all([
      this.byAddress.get(presenter.address),
      presenter.keyId === undefined ? null : this.byKeyId.get(presenter.keyId),
    ]);
    const failures = address?.consumedPoints ?? 0;
    const spent = (res: RateLimiterRes | null) =>
      res !== null && res.consumedPoints >= this.budget.perWindow;
    if (spent(address)) return secondsOf(address!);
    if (failures > 0 && spent(key)) return secondsOf(key!);
    return undefined;
  }

  /** Counts one failed authentication against the presenter's address and key id. */
  async failed(presenter: Presenter): Promise<void> {
    await Promise.all([
      this.byAddress.penalty(presenter.address),
      presenter.keyId === undefined ? undefined : this.byKeyId.penalty(presenter.keyId),
    ]);
  }
}

const secondsOf = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
