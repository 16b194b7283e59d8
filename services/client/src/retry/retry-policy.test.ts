import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetriable,
  parseRetryAfter,
  retryDecision,
  type AttemptOutcome,
  type RetryOptions,
} from './retry-policy';

const options: RetryOptions = {
  ...DEFAULT_RETRY,
  maxAttempts: 4,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  deadlineMs: 5_000,
  jitter: 0.5,
};
const network: AttemptOutcome = { kind: 'network' };
const status = (code: number, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'status',
  status: code,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe('which failures are worth another attempt', () => {
  it.each([
    ['a lost connection, for a GET or a keyed POST', network, true, true],
    ['a lost connection, for a POST without a key (it may have published)', network, false, false],
    ['429 (nothing was done)', status(429), false, true],
    ['503 (nothing was published)', status(503), false, true],
    ['502, replayable', status(502), true, true],
    ['502, not replayable', status(502), false, false],
    ['504, replayable', status(504), true, true],
    ['504, not replayable', status(504), false, false],
    ['400', status(400), true, false],
    ['401', status(401), true, false],
    ['404', status(404), true, false],
    ['409 (the key was used with another body)', status(409), true, false],
    ['500', status(500), true, false],
  ])('%s', (_name, outcome, replayable, expected) => {
    expect(isRetriable(outcome, replayable)).toBe(expected);
  });
});

describe('capped exponential backoff with jitter', () => {
  it.each([
    [1, 0, 100],
    [2, 0, 200],
    [3, 0, 400],
    [4, 0, 800],
    [5, 0, 1_000],
    [12, 0, 1_000],
    [1, 0.999, 50],
    [3, 0.5, 300],
    [12, 0.5, 750],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, options, random)).toBe(expected);
  });
});

describe('retry decisions', () => {
  const decide = (over: Partial<Parameters<typeof retryDecision>[0]>) =>
    retryDecision({
      outcome: network,
      attempt: 1,
      elapsedMs: 0,
      replayable: true,
      options,
      random: 0,
      ...over,
    });

  it.each([
    ['retries a 503 after backoff', { outcome: status(503) }, { retry: true, delayMs: 100 }],
    [
      'honours Retry-After exactly, without jitter',
      { outcome: status(503, 700), random: 0.9 },
      { retry: true, delayMs: 700 },
    ],
    [
      'honours a Retry-After of 0',
      { outcome: status(429, 0), attempt: 2 },
      { retry: true, delayMs: 0 },
    ],
    [
      'gives up when Retry-After is beyond maxDelayMs',
      { outcome: status(429, 60_000) },
      { retry: false },
    ],
    ['gives up at maxAttempts', { attempt: 4 }, { retry: false }],
    ['retries before maxAttempts', { attempt: 3 }, { retry: true, delayMs: 400 }],
    [
      'gives up when the wait would pass the deadline',
      { elapsedMs: 4_950, outcome: status(503) },
      { retry: false },
    ],
    ['gives up on a non-retriable status', { outcome: status(400) }, { retry: false }],
    [
      'does not resend an unkeyed POST after a lost connection',
      { replayable: false },
      { retry: false },
    ],
  ])('%s', (_name, over, expected) => {
    expect(decide(over as Partial<Parameters<typeof retryDecision>[0]>)).toEqual(expected);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-23T18:00:00Z');
  it.each([
    ['seconds', '3', 3_000],
    ['zero', '0', 0],
    ['an HTTP date', 'Mon, 23 Nov 2026 18:00:05 GMT', 5_000],
    ['a date in the past', 'Mon, 23 Nov 2026 17:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['absent', null, undefined],
    ['empty', ' ', undefined],
  ])('%s', (_name, header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
