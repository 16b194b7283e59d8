/**
 * When to try a webhook again, and what an answer means (docs/DELIVERY.md). Pure: the
 * edge measures the attempt and keeps the timers; this decides. The contract
 * (../shared/CONTRACT.md, "Receiving"): any 2xx means delivered; anything else, or no
 * answer within 10 s, is retried with backoff until delivered or dead-lettered.
 */

/**
 * Exponential backoff with jitter. Attempt n+1 waits
 * `min(maxDelayMs, initialDelayMs · factor^(n-1))`, shortened by up to `jitter` of itself
 * at random, after attempt n failed. A delivery is given up (dead-lettered) when its next
 * attempt would fall more than `giveUpAfterMs` after its first.
 */
export interface RetrySchedule {
  /** Wait after the first failed attempt, before jitter. */
  readonly initialDelayMs: number;
  /** Each wait is this many times the one before (at least 1), until maxDelayMs. */
  readonly factor: number;
  /** The longest wait: a recovered endpoint gets its backlog within this time. */
  readonly maxDelayMs: number;
  /** No attempt later than this after the first one; the delivery is dead-lettered instead. */
  readonly giveUpAfterMs: number;
  /**
   * 0..1: how much of each wait may be cut at random. 0 waits exactly the nominal time,
   * 1 is "full jitter" (anywhere between 0 and the nominal time). Jitter only shortens, so
   * the nominal table is an upper bound and maxDelayMs a true maximum.
   */
  readonly jitter: number;
}

/**
 * About a day of retries. Nominal times (no jitter) after the first attempt:
 *
 * | attempt | wait before it | since the first attempt          |
 * | ------- | -------------- | -------------------------------- |
 * | 1       | -              | 0                                |
 * | 2       | 10 s           | 10 s                             |
 * | 3       | 30 s           | 40 s                             |
 * | 4       | 1 min 30 s     | 2 min 10 s                       |
 * | 5       | 4 min 30 s     | 6 min 40 s                       |
 * | 6       | 13 min 30 s    | 20 min 10 s                      |
 * | 7       | 40 min 30 s    | 1 h 0 min 40 s                   |
 * | 8 … 29  | 1 h each       | 2 h 0 min 40 s … 23 h 0 min 40 s |
 *
 * 29 attempts; the delivery is dead-lettered when the 29th fails, about 23 h after the
 * first (attempt 30 would come at 24 h 0 min 40 s, past giveUpAfterMs). The first minutes
 * ride out a restart or a deploy of the recipient; the hourly tail means an endpoint that
 * comes back gets a missing child's alert within the hour. Jitter (20 %) shortens each
 * wait by up to a fifth, so retries of many deliveries to one endpoint spread out instead
 * of arriving together; with it a delivery gets 29 to 35 attempts, the last within 24 h.
 */
export const DEFAULT_SCHEDULE: RetrySchedule = Object.freeze({
  initialDelayMs: 10_000,
  factor: 3,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 86_400_000,
  jitter: 0.2,
});

/**
 * What is wrong with `schedule`, one sentence each; empty when it can be used. For the
 * service's configuration, which must refuse a schedule that never ends or never waits.
 */
export function scheduleProblems(schedule: RetrySchedule): string[] {
  const { initialDelayMs, factor, maxDelayMs, giveUpAfterMs, jitter } = schedule;
  const positive = (n: number): boolean => Number.isFinite(n) && n > 0;
  const checks: Array<[ok: boolean, problem: string]> = [
    [positive(initialDelayMs), 'initialDelayMs must be finite and above 0'],
    [Number.isFinite(factor) && factor >= 1, 'factor must be at least 1'],
    [
      positive(maxDelayMs) && maxDelayMs >= initialDelayMs,
      'maxDelayMs must be at least initialDelayMs',
    ],
    [positive(giveUpAfterMs), 'giveUpAfterMs must be finite and above 0'],
    [jitter >= 0 && jitter <= 1, 'jitter must be in 0..1'],
  ];
  return checks.filter(([ok]) => !ok).map(([, problem]) => problem);
}

/** The wait after failed attempt `attempt` (1-based), before jitter. */
function nominalDelay(attempt: number, schedule: RetrySchedule): number {
  return Math.min(schedule.maxDelayMs, schedule.initialDelayMs * schedule.factor ** (attempt - 1));
}

/**
 * When to make the next attempt of a delivery whose attempt number `attempt` (1 for the
 * first) has just failed at `now`; `'give-up'` when that would be more than
 * `giveUpAfterMs` after `firstAttemptAt`, so the delivery is dead-lettered now. `random`
 * returns a number in [0, 1) (Math.random in production, a constant in tests).
 * `notBefore` is the recipient's Retry-After (see classifyResponse): the attempt waits
 * for the later of it and the backoff, and a Retry-After past the deadline gives up.
 */
export function nextAttempt(
  attempt: number,
  firstAttemptAt: number,
  now: number,
  schedule: RetrySchedule,
  random: () => number,
  notBefore?: number,
): { at: number } | 'give-up' {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer from 1, got ${attempt}`);
  }
  const share = Math.min(1, Math.max(0, random()));
  const delay = nominalDelay(attempt, schedule) * (1 - schedule.jitter * share);
  const at = Math.max(now + Math.round(delay), notBefore ?? -Infinity);
  return at > firstAttemptAt + schedule.giveUpAfterMs ? 'give-up' : { at };
}

/** One row of a schedule's nominal table: when attempt `attempt` is made. */
export interface ScheduledAttempt {
  readonly attempt: number;
  /** The wait before it (0 for the first). */
  readonly delayMs: number;
  /** Since the first attempt. */
  readonly sinceFirstMs: number;
}

/**
 * Every attempt `schedule` makes when each fails at once and no jitter applies: the
 * table docs/DELIVERY.md shows, and an upper bound on each time of a jittered run.
 */
export function nominalAttempts(schedule: RetrySchedule): ScheduledAttempt[] {
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) throw new RangeError(`invalid schedule: ${problems.join('; ')}`);
  const rows: ScheduledAttempt[] = [{ attempt: 1, delayMs: 0, sinceFirstMs: 0 }];
  for (;;) {
    const last = rows[rows.length - 1]!;
    const next = nextAttempt(
      last.attempt,
      0,
      last.sinceFirstMs,
      { ...schedule, jitter: 0 },
      () => 0,
    );
    if (next === 'give-up') return rows;
    rows.push({
      attempt: last.attempt + 1,
      delayMs: next.at - last.sinceFirstMs,
      sinceFirstMs: next.at,
    });
  }
}

/** What one attempt to POST a webhook came to, as the edge saw it. */
export type AttemptOutcome =
  /** The endpoint answered; `retryAfter` is its Retry-After header, if any. */
  | { kind: 'response'; status: number; retryAfter?: string | null }
  /** No complete answer within the timeout (10 s). */
  | { kind: 'timeout' }
  /** No answer at all: refused connection, DNS failure, TLS error, reset. */
  | { kind: 'network-error'; message: string };

/** What the dispatcher does next with a delivery after an attempt. */
export type AttemptVerdict =
  | { kind: 'delivered' }
  /** 410 Gone: the recipient switched its endpoint off; operators must be told. */
  | { kind: 'endpoint-disabled' }
  /**
   * Try again per the schedule, not before `notBefore` (the recipient's Retry-After);
   * `reason` is short and free of personal data (`status=500`, `timeout`), for the trail.
   */
  | { kind: 'retry'; notBefore?: number; reason: string };

/**
 * The longest Retry-After the dispatcher honours: an endpoint asking for more would hold
 * a missing child's alert back for longer than the schedule's own longest wait.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Longest network-error message kept in a reason: reasons go to the trail. */
const MAX_REASON_MESSAGE = 120;

/**
 * RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date (which ends in GMT; the
 * asctime form, read as local time by Date.parse, is ignored). The time it names, held
 * between `now` and MAX_RETRY_AFTER_MS after it; undefined when absent or unreadable.
 */
function retryAfterTime(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim() ?? '';
  let at: number;
  if (/^\d+$/.test(text)) at = now + Number(text) * 1000;
  else if (/GMT$/.test(text)) at = Date.parse(text);
  else return undefined;
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at, now), now + MAX_RETRY_AFTER_MS);
}

/**
 * What an attempt's outcome means (docs/DELIVERY.md, "Responses"): any 2xx is delivered;
 * 410 is the recipient disabling its endpoint; 429 and 503 are retried no earlier than
 * their Retry-After; every other status (redirects are not followed), a timeout and a
 * network error are retried on the schedule.
 */
export function classifyResponse(outcome: AttemptOutcome, now: number): AttemptVerdict {
  switch (outcome.kind) {
    case 'timeout':
      return { kind: 'retry', reason: 'timeout' };
    case 'network-error': {
      const message = outcome.message.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_MESSAGE);
      return { kind: 'retry', reason: `network-error: ${message}` };
    }
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status <= 299) return { kind: 'delivered' };
      if (status === 410) return { kind: 'endpoint-disabled' };
      const reason = `status=${status}`;
      if (status === 429 || status === 503) {
        const notBefore = retryAfterTime(outcome.retryAfter, now);
        if (notBefore !== undefined) return { kind: 'retry', notBefore, reason };
      }
      return { kind: 'retry', reason };
    }
  }
}
