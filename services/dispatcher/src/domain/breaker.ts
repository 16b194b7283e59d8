/**
 * A circuit breaker per recipient endpoint (docs/DELIVERY.md, isolation). After
 * `failures` attempts in a row fail, the endpoint is left alone for `cooldownMs`; then a
 * single probe goes (half-open): a success closes the breaker, a failure opens it again
 * for twice as long, up to `maxCooldownMs`. While it is open, deliveries to that
 * recipient wait without spending attempts of their schedule, and nothing waits on it:
 * other recipients go on. Pure, with time passed in; in memory only (a restart closes
 * every breaker, which costs at most one probe per dead endpoint).
 *
 * Hand-written rather than opossum: opossum wraps the call and keeps its own timers and
 * rolling windows per breaker, while here the dispatcher's own schedule decides when to
 * call, and the whole rule is three small functions tested by a table.
 */
export interface BreakerSettings {
  readonly failures: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

export interface Breaker {
  /** Failed attempts in a row. */
  readonly failures: number;
  /** Open until then; null when closed. */
  readonly openUntil: number | null;
  /** The cooldown of the latest opening (doubles on each failed probe). */
  readonly cooldownMs: number;
}

export const CLOSED: Breaker = Object.freeze({ failures: 0, openUntil: null, cooldownMs: 0 });

/**
 * Whether an attempt may start at `now`, given `inFlight` attempts under way to the
 * endpoint. Open: no. Half-open (the cooldown passed): one probe at a time. Closed: yes.
 */
export function breakerAllows(breaker: Breaker, now: number, inFlight: number): boolean {
  if (breaker.openUntil === null) return true;
  return now >= breaker.openUntil && inFlight === 0;
}

/** `breaker` after an attempt that ended at `now`, successfully or not. */
export function breakerAfter(
  breaker: Breaker,
  succeeded: boolean,
  now: number,
  settings: BreakerSettings,
): Breaker {
  if (succeeded) return CLOSED;
  const failures = breaker.failures + 1;
  if (breaker.openUntil !== null) {
    // A failed probe (or an attempt started before the breaker opened): open again, longer.
    if (now < breaker.openUntil) return { ...breaker, failures };
    const cooldownMs = Math.min(settings.maxCooldownMs, breaker.cooldownMs * 2);
    return { failures, openUntil: now + cooldownMs, cooldownMs };
  }
  if (failures < settings.failures) return { ...breaker, failures };
  return { failures, openUntil: now + settings.cooldownMs, cooldownMs: settings.cooldownMs };
}
