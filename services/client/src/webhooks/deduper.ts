import { LRUCache } from 'lru-cache';

/** What a deduper knows of a deliveryId when a push of it arrives. */
export type ClaimResult =
  /** Never seen (or released): this push processes it. */
  | 'claimed'
  /** Another push of it is being processed right now. */
  | 'in-progress'
  /** Processed already: answer 2xx and do nothing. */
  | 'done';

/**
 * Remembers which deliveries were processed, so that a delivery pushed again (a retry
 * after a lost answer, a replay) is processed once. Implement it over a shared store
 * (Redis: `SET key pending NX PX <ttl>`, then `SET key done PX <ttl>` on completion, `DEL`
 * on release) when several processes receive the same organisation's pushes.
 */
export interface DeliveryDeduper {
  /** Claims `deliveryId` for processing, unless it is done or being processed. */
  claim(deliveryId: string): Promise<ClaimResult> | ClaimResult;
  /** Marks a claimed delivery as processed: later pushes of it are `done`. */
  complete(deliveryId: string): Promise<void> | void;
  /** Gives up a claim after a failure, so that the exchange's next attempt processes it. */
  release(deliveryId: string): Promise<void> | void;
}

/** How long the in-memory deduper remembers. */
export interface MemoryDeduperOptions {
  /** The most deliveryIds remembered; the least recently seen go first. Default 10 000. */
  readonly max?: number;
  /**
   * How long a processed deliveryId is remembered, in ms. Default 25 hours: longer than
   * the exchange retries a delivery (about a day).
   */
  readonly ttlMs?: number;
  /** How long a claim holds when its processing never ends, in ms. Default 5 minutes. */
  readonly claimTtlMs?: number;
}

/**
 * A `DeliveryDeduper` in this process's memory: an LRU with a time to live (lru-cache).
 * Enough for one receiving process; it forgets on restart, when the exchange's pushes of
 * an unacknowledged delivery may be processed again.
 */
export class MemoryDeduper implements DeliveryDeduper {
  private readonly seen: LRUCache<string, 'pending' | 'done'>;
  private readonly claimTtlMs: number;

  constructor(options: MemoryDeduperOptions = {}) {
    this.seen = new LRUCache({
      max: options.max ?? 10_000,
      ttl: options.ttlMs ?? 25 * 60 * 60_000,
    });
    this.claimTtlMs = options.claimTtlMs ?? 5 * 60_000;
  }

  claim(deliveryId: string): ClaimResult {
    const state = this.seen.get(deliveryId);
    if (state === 'done') return 'done';
    if (state === 'pending') return 'in-progress';
    this.seen.set(deliveryId, 'pending', { ttl: this.claimTtlMs });
    return 'claimed';
  }

  complete(deliveryId: string): void {
    this.seen.set(deliveryId, 'done');
  }

  release(deliveryId: string): void {
    this.seen.delete(deliveryId);
  }
}
