/**
 * When to try a request again, and after how long: pure functions, no timers, no I/O, so
 * that every decision is table-tested (`retry-policy.test.ts`).
 */

/** How hard the client tries. Every member is optional for callers; see `DEFAULT_RETRY`. */
export interface RetryOptions {
  /** The most attempts of one request, the first included (1: never retry). */
  readonly maxAttempts: number;
  /** The delay before the first retry, before jitter, in ms. */
  readonly initialDelayMs: number;
  /** The longest delay between two attempts, in ms (a longer Retry-After gives up). */
  readonly maxDelayMs: number;
  /** The whole budget of one call, every attempt and wait included, in ms. */
  readonly deadlineMs: number;
  /** Each delay is shortened by up to this fraction at random, so clients spread out. */
  readonly jitter: number;
  /** How long one attempt may wait for its answer, in ms. */
  readonly attemptTimeoutMs: number;
}

/** The defaults: 5 attempts within 60 s, 250 ms doubling up to 10 s, 20 % jitter. */
export const DEFAULT_RETRY: RetryOptions = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  deadlineMs: 60_000,
  jitter: 0.2,
  attemptTimeoutMs: 45_000,
});

/** How an attempt ended, as far as retrying is concerned. */
export type AttemptOutcome =
  | { readonly kind: 'network' }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterMs?: number };

/** What a retry decision looks at. */
export interface RetryInput {
  readonly outcome: AttemptOutcome;
  /** The attempt that just ended, from 1. */
  readonly attempt: number;
  /** Time spent since the call began, in ms. */
  readonly elapsedMs: number;
  /**
   * Whether sending the request again cannot act twice: a GET, or a POST that carries an
   * Idempotency-Key (the exchange answers a repeat with the first answer).
   */
  readonly replayable: boolean;
  readonly options: RetryOptions;
  /** A number in [0, 1): Math.random in use, fixed in tests. */
  readonly random: number;
}

/** Retry after `delayMs`, or give up. */
export type RetryDecision =
  { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

/**
 * Whether the outcome is worth another attempt at all. 429 and 503 are answered before the
 * exchange acts (nothing was published), so any request may be sent again; after a lost
 * connection, a 502 or a 504 the request may or may not have been acted on, so only a
 * replayable one is.
 */
export function isRetriable(outcome: AttemptOutcome, replayable: boolean): boolean {
  if (outcome.kind === 'network') return replayable;
  if (outcome.status === 429 || outcome.status === 503) return true;
  if (outcome.status === 502 || outcome.status === 504) return replayable;
  return false;
}

/** Capped exponential backoff: initial × 2^(attempt-1), at most maxDelay, less jitter. */
export function backoffDelay(attempt: number, options: RetryOptions, random: number): number {
  const exponential = options.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  return Math.round(capped * (1 - options.jitter * random));
}

/**
 * Whether to try again after `input.outcome`, and when. A Retry-After is honoured as
 * given (never shortened by jitter); a wait that would end past the deadline, or past
 * maxDelayMs, gives up now rather than fail later.
 */
export function retryDecision(input: RetryInput): RetryDecision {
  const { outcome, attempt, options } = input;
  if (!isRetriable(outcome, input.replayable)) return { retry: false };
  if (attempt >= options.maxAttempts) return { retry: false };
  const asked = outcome.kind === 'status' ? outcome.retryAfterMs : undefined;
  if (asked !== undefined && asked > options.maxDelayMs) return { retry: false };
  const delayMs = asked ?? backoffDelay(attempt, options, input.random);
  if (input.elapsedMs + delayMs >= options.deadlineMs) return { retry: false };
  return { retry: true, delayMs };
}

/**
 * A Retry-After header (RFC 9110 §10.2.3: seconds, or an HTTP date) in ms from `now`;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
