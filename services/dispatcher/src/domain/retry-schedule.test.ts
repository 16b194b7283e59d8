import {
  classifyResponse,
  DEFAULT_SCHEDULE,
  MAX_RETRY_AFTER_MS,
  nextAttempt,
  nominalAttempts,
  scheduleProblems,
  type AttemptOutcome,
  type AttemptVerdict,
  type RetrySchedule,
} from './retry-schedule';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** `1 h 0 min 40 s`, as docs/DELIVERY.md writes durations. */
function duration(ms: number): string {
  const parts: string[] = [];
  const h = Math.floor(ms / H);
  const min = Math.floor((ms % H) / MIN);
  const s = (ms % MIN) / S;
  if (h) parts.push(`${h} h`);
  if (min || (h && s)) parts.push(`${min} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

describe('the default schedule', () => {
  it('retries for about a day, as docs/DELIVERY.md tabulates', () => {
    const rows = nominalAttempts(DEFAULT_SCHEDULE).map(
      (r) =>
        `${r.attempt} | ${r.attempt === 1 ? '-' : duration(r.delayMs)} | ${duration(r.sinceFirstMs)}`,
    );
    expect(rows.slice(0, 9)).toEqual([
      '1 | - | 0 s',
      '2 | 10 s | 10 s',
      '3 | 30 s | 40 s',
      '4 | 1 min 30 s | 2 min 10 s',
      '5 | 4 min 30 s | 6 min 40 s',
      '6 | 13 min 30 s | 20 min 10 s',
      '7 | 40 min 30 s | 1 h 0 min 40 s',
      '8 | 1 h | 2 h 0 min 40 s',
      '9 | 1 h | 3 h 0 min 40 s',
    ]);
    expect(rows.slice(-1)).toEqual(['29 | 1 h | 23 h 0 min 40 s']);
  });

  it('gives up when attempt 30 would come after 24 hours', () => {
    const at29 = 23 * H + 40 * S;
    expect(nextAttempt(29, 0, at29, DEFAULT_SCHEDULE, () => 0)).toBe('give-up');
    expect(nextAttempt(28, 0, at29 - H, DEFAULT_SCHEDULE, () => 0)).toEqual({ at: at29 });
  });

  it('with jitter makes 29 to 35 attempts, every one within 24 hours', () => {
    const attempts = (share: number): number[] => {
      const times = [0];
      for (;;) {
        const next = nextAttempt(times.length, 0, times.at(-1)!, DEFAULT_SCHEDULE, () => share);
        if (next === 'give-up') return times;
        times.push(next.at);
      }
    };
    expect(attempts(0)).toHaveLength(29);
    const mostJitter = attempts(0.999999);
    expect(mostJitter).toHaveLength(35);
    expect(mostJitter.at(-1)!).toBeLessThanOrEqual(24 * H);
  });

  it('is a valid schedule', () => {
    expect(scheduleProblems(DEFAULT_SCHEDULE)).toEqual([]);
  });
});

describe('nextAttempt', () => {
  const schedule: RetrySchedule = {
    initialDelayMs: 1000,
    factor: 2,
    maxDelayMs: 5000,
    giveUpAfterMs: 20_000,
    jitter: 0.5,
  };
  const first = 1_000_000;
  /** Times are ms after `first`; `more` changes the schedule or adds a Retry-After. */
  type Row = [
    name: string,
    attempt: number,
    now: number,
    random: number,
    want: number | 'give-up',
    more: Partial<RetrySchedule> & { notBefore?: number },
  ];
  const cases: Row[] = [
    ['after the first failure: initialDelayMs', 1, 0, 0, 1000, {}],
    ['grows by factor', 2, 1000, 0, 3000, {}],
    ['grows by factor again', 3, 3000, 0, 7000, {}],
    ['stops growing at maxDelayMs', 4, 7000, 0, 12_000, {}],
    ['stays at maxDelayMs', 10, 12_000, 0, 17_000, {}],
    ['a huge attempt number waits maxDelayMs', 5000, 0, 0, 5000, {}],
    ['jitter shortens by at most its share', 3, 0, 0.999999, 2000, {}],
    ['jitter halfway', 3, 0, 0.5, 3000, {}],
    ['a random number above 1 counts as 1', 1, 0, 7, 500, {}],
    ['a negative random number counts as 0', 1, 0, -1, 1000, {}],
    ['full jitter can retry at once', 1, 0, 1, 0, { jitter: 1 }],
    ['no jitter ignores random', 2, 0, 0.9, 2000, { jitter: 0 }],
    ['exactly at the deadline still tries', 4, 12_000, 0, 20_000, { maxDelayMs: 8000 }],
    ['past the deadline gives up', 4, 15_001, 0, 'give-up', {}],
    ['Retry-After later than the backoff wins', 1, 0, 0, 4000, { notBefore: 4000 }],
    ['Retry-After sooner than the backoff is no reason to hurry', 3, 0, 0, 4000, { notBefore: 10 }],
    ['Retry-After past the deadline gives up', 1, 0, 0, 'give-up', { notBefore: 20_001 }],
  ];
  it.each(cases)('%s', (_name, attempt, now, random, want, { notBefore, ...change }) => {
    const verdict = nextAttempt(
      attempt,
      first,
      first + now,
      { ...schedule, ...change },
      () => random,
      notBefore === undefined ? undefined : first + notBefore,
    );
    expect(verdict).toEqual(want === 'give-up' ? want : { at: first + want });
  });

  it('jittered waits stay within [nominal · (1 - jitter), nominal]', () => {
    for (let i = 0; i <= 100; i++) {
      const share = i / 101;
      const next = nextAttempt(3, first, first, schedule, () => share);
      if (next === 'give-up') throw new Error('gave up');
      expect(next.at - first).toBeGreaterThanOrEqual(2000);
      expect(next.at - first).toBeLessThanOrEqual(4000);
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt number %p', (attempt) => {
    expect(() => nextAttempt(attempt, first, first, schedule, () => 0)).toThrow(RangeError);
  });
});

describe('a schedule for tests runs in seconds', () => {
  it('makes 8 attempts within 5 seconds', () => {
    const fast: RetrySchedule = {
      initialDelayMs: 100,
      factor: 2,
      maxDelayMs: 1000,
      giveUpAfterMs: 5000,
      jitter: 0,
    };
    expect(nominalAttempts(fast).map((r) => r.sinceFirstMs)).toEqual([
      0, 100, 300, 700, 1500, 2500, 3500, 4500,
    ]);
  });
});

describe('scheduleProblems', () => {
  const ok = DEFAULT_SCHEDULE;
  it.each<[string, Partial<RetrySchedule>, string]>([
    ['no initial wait', { initialDelayMs: 0 }, 'initialDelayMs must be finite and above 0'],
    ['shrinking waits', { factor: 0.5 }, 'factor must be at least 1'],
    [
      'a maximum below the first wait',
      { maxDelayMs: 5000 },
      'maxDelayMs must be at least initialDelayMs',
    ],
    [
      'never giving up',
      { giveUpAfterMs: Number.POSITIVE_INFINITY },
      'giveUpAfterMs must be finite and above 0',
    ],
    ['jitter above 1', { jitter: 1.5 }, 'jitter must be in 0..1'],
    ['negative jitter', { jitter: -0.1 }, 'jitter must be in 0..1'],
    ['jitter not a number', { jitter: Number.NaN }, 'jitter must be in 0..1'],
  ])('refuses %s', (_name, change, problem) => {
    expect(scheduleProblems({ ...ok, ...change })).toEqual([problem]);
  });

  it('nominalAttempts refuses an invalid schedule instead of looping', () => {
    expect(() => nominalAttempts({ ...ok, initialDelayMs: 0 })).toThrow(/initialDelayMs/);
  });
});

describe('classifyResponse', () => {
  const now = Date.parse('2026-11-22T12:00:00.000Z');
  const response = (status: number, retryAfter?: string | null): AttemptOutcome => ({
    kind: 'response',
    status,
    retryAfter,
  });
  const delivered: AttemptVerdict = { kind: 'delivered' };
  /** Retried for `reason`, not before `afterMs` from now when given. */
  const retry = (reason: string, afterMs?: number): AttemptVerdict =>
    afterMs === undefined
      ? { kind: 'retry', reason }
      : { kind: 'retry', notBefore: now + afterMs, reason };
  const hour = MAX_RETRY_AFTER_MS;
  const cases: Array<[string, AttemptOutcome, AttemptVerdict]> = [
    ['200 is delivered', response(200), delivered],
    ['202 is delivered', response(202), delivered],
    ['204 is delivered', response(204), delivered],
    ['299 is delivered', response(299), delivered],
    ['410: the recipient disabled its endpoint', response(410), { kind: 'endpoint-disabled' }],
    ['500 is retried', response(500), retry('status=500')],
    ['502 is retried', response(502), retry('status=502')],
    ['400 is retried', response(400), retry('status=400')],
    ['401 (a recipient checking a new secret) is retried', response(401), retry('status=401')],
    ['404 is retried', response(404), retry('status=404')],
    ['a redirect is not followed, and retried', response(301), retry('status=301')],
    ['100 is not delivered', response(100), retry('status=100')],
    ['300 is not delivered', response(300), retry('status=300')],
    ['429 with Retry-After seconds', response(429, '120'), retry('status=429', 120_000)],
    ['503 with Retry-After seconds', response(503, ' 30 '), retry('status=503', 30_000)],
    ['503 with Retry-After 0', response(503, '0'), retry('status=503', 0)],
    [
      '503 with an HTTP-date',
      response(503, 'Sun, 22 Nov 2026 12:05:00 GMT'),
      retry('status=503', 300_000),
    ],
    [
      '429 with a past HTTP-date: now',
      response(429, 'Sun, 22 Nov 2026 11:00:00 GMT'),
      retry('status=429', 0),
    ],
    [
      '429 with an RFC 850 date',
      response(429, 'Sunday, 22-Nov-26 12:01:00 GMT'),
      retry('status=429', 60_000),
    ],
    ['Retry-After seconds capped at an hour', response(429, '86400'), retry('status=429', hour)],
    [
      'a Retry-After date capped at an hour',
      response(503, 'Mon, 23 Nov 2026 12:00:00 GMT'),
      retry('status=503', hour),
    ],
    ['429 without Retry-After', response(429), retry('status=429')],
    ['503 with a null Retry-After', response(503, null), retry('status=503')],
    ['unreadable Retry-After is ignored', response(503, 'soon'), retry('status=503')],
    ['negative Retry-After is ignored', response(503, '-5'), retry('status=503')],
    ['fractional Retry-After is ignored', response(503, '1.5'), retry('status=503')],
    [
      'an asctime date (local time to Date.parse) is ignored',
      response(503, 'Sun Nov 22 12:05:00 2026'),
      retry('status=503'),
    ],
    ['a GMT-looking nonsense date is ignored', response(503, 'never GMT'), retry('status=503')],
    ['Retry-After on other statuses is ignored', response(500, '60'), retry('status=500')],
    ['a timeout is retried', { kind: 'timeout' }, retry('timeout')],
    [
      'a network error is retried, naming it',
      { kind: 'network-error', message: 'connect ECONNREFUSED 203.0.113.7:443' },
      retry('network-error: connect ECONNREFUSED 203.0.113.7:443'),
    ],
    [
      'a long network error is cut short and kept on one line',
      { kind: 'network-error', message: `TLS\nfailure ${'x'.repeat(300)}` },
      retry(`network-error: TLS failure ${'x'.repeat(108)}`),
    ],
  ];
  it.each(cases)('%s', (_name, outcome, verdict) => {
    expect(classifyResponse(outcome, now)).toEqual(verdict);
  });
});
