/** The kinds of call the harness makes to the public API. */
export type CallKind = 'publish' | 'ack' | 'inbox';

/**
 * Every answer the public API gave the harness's publisher and recipients, by kind of
 * call. The contract allows a 5xx only as documented unavailability: a 503 carrying
 * Retry-After; a call that got no answer (the gateway was killed or restarting) is
 * counted as unavailability too. Any other 5xx is a violation, kept with its body.
 */
export class ApiLedger {
  private readonly counts = new Map<string, number>();
  /** 5xx answers other than a 503 with Retry-After: `kind status body`. */
  readonly violations: string[] = [];
  /** Calls that got no answer at all (connection refused, reset). */
  connectionErrors = 0;
  /** 503s with Retry-After (documented unavailability). */
  unavailable = 0;

  /** Records an answer; returns true when it is a violation. */
  answer(kind: CallKind, status: number, headers: Headers, body: string): boolean {
    this.counts.set(`${kind} ${status}`, (this.counts.get(`${kind} ${status}`) ?? 0) + 1);
    if (status === 503 && headers.get('retry-after')) {
      this.unavailable++;
      return false;
    }
    if (status >= 500) {
      this.violations.push(`${kind} ${status} ${body.slice(0, 300)}`);
      return true;
    }
    return false;
  }

  /** Records a call that got no answer. */
  noAnswer(kind: CallKind): void {
    this.connectionErrors++;
    this.counts.set(`${kind} no-answer`, (this.counts.get(`${kind} no-answer`) ?? 0) + 1);
  }

  /**
   * Calls the API and records the answer; undefined when no answer came (that is recorded
   * too, after a pause of 500 ms, so a caller can simply try again).
   */
  async call(
    kind: CallKind,
    url: string,
    init: RequestInit,
    timeoutMs = 30_000,
  ): Promise<{ status: number; headers: Headers; text: string } | undefined> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      this.answer(kind, response.status, response.headers, text);
      return { status: response.status, headers: response.headers, text };
    } catch {
      this.noAnswer(kind);
      await sleep(500);
      return undefined;
    }
  }

  /** How many answers of `kind` had `status` ('no-answer' for none). */
  count(kind: CallKind, status: number | 'no-answer'): number {
    return this.counts.get(`${kind} ${status}`) ?? 0;
  }

  /** Every `kind status` with its count, sorted: for the figures. */
  summary(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  }
}

/** Seconds of a Retry-After header, or `fallbackMs` when it is absent or unreadable. */
export function retryAfterMs(headers: Headers, fallbackMs: number, capMs = 10_000): number {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1_000, capMs) : fallbackMs;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
