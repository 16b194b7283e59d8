import {
  awaitingRetry,
  dutiesOf,
  foldStatus,
  NEW_PROGRESS,
  statusAfterAttempt,
  type Duties,
  type EscalationReason,
  type Progress,
  type StatusFact,
  type StatusState,
} from './delivery-progress';
import { type AttemptVerdict, type RetrySchedule } from './retry-schedule';

/** The schedule tests run with (docs/DELIVERY.md): 8 attempts within 4.5 s. */
const FAST: RetrySchedule = {
  initialDelayMs: 100,
  factor: 2,
  maxDelayMs: 1000,
  giveUpAfterMs: 5000,
  jitter: 0,
};
const noJitter = (): number => 0;

/** Every time in these tests is ms after T, when the first attempt ended. */
const T = Date.parse('2026-11-22T12:00:00.000Z');
const t = (ms: number): number => T + ms;

const record = (
  state: StatusState,
  attempt: number,
  at: number,
  errorKind: string | null = null,
  nextAttemptAt: number | null = null,
): StatusFact => ({ state, attempt, at: t(at), errorKind, nextAttemptAt });

const failed = (attempt: number, at: number, next: number, why = 'status=503'): StatusFact =>
  record('FAILED_RETRYING', attempt, at, why, t(next));
const delivered = (attempt: number, at: number): StatusFact => record('DELIVERED', attempt, at);
const deadLettered = (attempt: number, at: number, why = 'status=503'): StatusFact =>
  record('DEAD_LETTERED', attempt, at, why);
const disabled = (attempt: number, at: number): StatusFact =>
  record('ENDPOINT_DISABLED', attempt, at, 'status=410');
const escalated = (reason: string | null, at = 0): StatusFact => record('ESCALATED', 0, at, reason);
const escalationClosed = (at = 0): StatusFact => record('ESCALATION_CLOSED', 0, at);
const replayed = (at: number): StatusFact => record('REPLAYED', 0, at);

/** When each attempt of a round of FAST ends, failing at once, after the round's first. */
const ROUND = [0, 100, 300, 700, 1500, 2500, 3500, 4500];

/** The records of `count` failed attempts of a round numbered from `first`, begun at `from`. */
function failures(count: number, from = 0, first = 1): StatusFact[] {
  return ROUND.slice(0, count).map((at, i) => failed(first + i, from + at, from + ROUND[i + 1]!));
}

const fold = (records: readonly StatusFact[], from: Progress = NEW_PROGRESS): Progress =>
  records.reduce((progress, fact) => foldStatus(progress, fact), from);

/** `DEAD_LETTERED#2`, `ESCALATED NOT_ACKNOWLEDGED`, for test names. */
const label = (fact: StatusFact): string =>
  fact.state === 'ESCALATED' ? `ESCALATED ${fact.errorKind}` : `${fact.state}#${fact.attempt}`;

describe('foldStatus', () => {
  const cases: Array<[string, StatusFact[], Partial<Progress>]> = [
    ['with no record, a delivery is pending, to be pushed at once', [], {}],
    [
      'a failed attempt is counted and pending until its nextAttemptAt',
      [failed(1, 0, 100)],
      { attempts: 1, roundStartedAt: t(0), nextAttemptAt: t(100), lastError: 'status=503' },
    ],
    [
      'each failure counts; the round keeps the time of its first attempt',
      [failed(1, 0, 100), failed(2, 100, 300, 'timeout')],
      { attempts: 2, roundStartedAt: t(0), nextAttemptAt: t(300), lastError: 'timeout' },
    ],
    [
      'delivered at the first attempt: nothing more to push',
      [delivered(1, 0)],
      { push: 'delivered', attempts: 1, roundStartedAt: t(0) },
    ],
    [
      'delivered after failures: nothing more to push, the last error kept',
      [failed(1, 0, 100), delivered(2, 100)],
      { push: 'delivered', attempts: 2, roundStartedAt: t(0), lastError: 'status=503' },
    ],
    [
      'dead-lettered when the schedule runs out',
      [failed(1, 0, 100), deadLettered(2, 100, 'timeout')],
      {
        push: 'dead-lettered',
        attempts: 2,
        roundStartedAt: t(0),
        lastError: 'timeout',
        deadLetteredAt: t(100),
      },
    ],
    [
      'stopped by a 410',
      [failed(1, 0, 100), disabled(2, 100)],
      {
        push: 'endpoint-disabled',
        attempts: 2,
        roundStartedAt: t(0),
        lastError: 'status=410',
        disabledAt: t(100),
      },
    ],
    [
      'an escalation records its reason',
      [escalated('NOT_ACKNOWLEDGED')],
      { escalations: ['NOT_ACKNOWLEDGED'] },
    ],
    [
      'escalations for different reasons are all kept, in order',
      [escalated('NOT_ACKNOWLEDGED'), escalated('DEAD_LETTERED'), escalated('ENDPOINT_DISABLED')],
      { escalations: ['NOT_ACKNOWLEDGED', 'DEAD_LETTERED', 'ENDPOINT_DISABLED'] },
    ],
    ['an escalation with an unknown reason is ignored', [escalated('BORED')], {}],
    ['an escalation without a reason is ignored', [escalated(null)], {}],
    [
      'an escalation closed after the acknowledgement',
      [escalated('NOT_ACKNOWLEDGED'), escalationClosed()],
      { escalations: ['NOT_ACKNOWLEDGED'], escalationClosed: true },
    ],
    [
      'a replay of a dead letter starts a new round, due at once, keeping the count',
      [failed(1, 0, 100), deadLettered(2, 100), replayed(60_000)],
      {
        attempts: 2,
        roundBase: 2,
        roundStartedAt: null,
        nextAttemptAt: t(60_000),
        lastError: 'status=503',
      },
    ],
    [
      'a replay after a 410 starts a new round too',
      [disabled(1, 0), replayed(60_000)],
      {
        attempts: 1,
        roundBase: 1,
        roundStartedAt: null,
        nextAttemptAt: t(60_000),
        lastError: 'status=410',
      },
    ],
    [
      "the new round's first attempt starts its clock; the count goes on",
      [failed(1, 0, 100), deadLettered(2, 100), replayed(60_000), failed(3, 60_000, 60_100)],
      {
        attempts: 3,
        roundBase: 2,
        roundStartedAt: t(60_000),
        nextAttemptAt: t(60_100),
        lastError: 'status=503',
      },
    ],
    [
      'a replay keeps the escalations operators were told of',
      [deadLettered(1, 0), escalated('DEAD_LETTERED'), replayed(60_000)],
      {
        attempts: 1,
        roundBase: 1,
        nextAttemptAt: t(60_000),
        lastError: 'status=503',
        escalations: ['DEAD_LETTERED'],
      },
    ],
    ['a replay of a delivery never attempted changes nothing', [replayed(60_000)], {}],
    [
      'a replay of a delivery still retrying changes nothing',
      [failed(1, 0, 100), replayed(50)],
      { attempts: 1, roundStartedAt: t(0), nextAttemptAt: t(100), lastError: 'status=503' },
    ],
    [
      'a replay of a delivered delivery changes nothing',
      [delivered(1, 0), replayed(60_000)],
      { push: 'delivered', attempts: 1, roundStartedAt: t(0) },
    ],
    [
      'two operators replaying at once restart it once',
      [deadLettered(1, 0), replayed(60_000), replayed(60_001)],
      { attempts: 1, roundBase: 1, nextAttemptAt: t(60_000), lastError: 'status=503' },
    ],
  ];
  it.each(cases)('%s', (_name, records, want) => {
    expect(fold(records)).toEqual({ ...NEW_PROGRESS, ...want });
  });

  it.each<StatusState>(['PENDING', 'ATTEMPTED', 'UNKNOWN'])('%s changes nothing', (state) => {
    const progress = fold([failed(1, 0, 100)]);
    expect(foldStatus(progress, record(state, 2, 150))).toBe(progress);
  });

  it('starts from NEW_PROGRESS when given no progress', () => {
    expect(foldStatus(undefined, failed(1, 0, 100))).toEqual(fold([failed(1, 0, 100)]));
  });

  it('leaves the progress it was given as it was', () => {
    const before = fold([failed(1, 0, 100), deadLettered(2, 100)]);
    const copy = structuredClone(before);
    fold([escalated('DEAD_LETTERED'), replayed(60_000), failed(3, 60_000, 60_100)], before);
    expect(before).toEqual(copy);
  });

  it('leaves NEW_PROGRESS as it was', () => {
    fold([escalated('NOT_ACKNOWLEDGED'), failed(1, 0, 100)]);
    expect(NEW_PROGRESS.escalations).toEqual([]);
    expect(NEW_PROGRESS.attempts).toBe(0);
  });
});

describe('a record read twice (a restart re-reads the topic) changes nothing', () => {
  const histories: Array<[string, StatusFact[]]> = [
    ['retrying', failures(3)],
    ['delivered after failures', [...failures(2), delivered(3, 300)]],
    [
      'dead-lettered and escalated',
      [...failures(7), deadLettered(8, 4500), escalated('DEAD_LETTERED')],
    ],
    [
      'acknowledged after an escalation',
      [delivered(1, 0), escalated('NOT_ACKNOWLEDGED', 10_000), escalationClosed(20_000)],
    ],
    ['stopped by a 410', [failed(1, 0, 100), disabled(2, 100), escalated('ENDPOINT_DISABLED')]],
    [
      'just replayed after a dead letter',
      [failed(1, 0, 100), deadLettered(2, 100), replayed(9000)],
    ],
    ['just replayed after a 410', [disabled(1, 0), replayed(9000)]],
    [
      'retrying again after a replay',
      [
        failed(1, 0, 100),
        deadLettered(2, 100),
        escalated('DEAD_LETTERED'),
        replayed(9000),
        ...failures(2, 9000, 3),
      ],
    ],
    [
      'delivered after a replay',
      [...failures(7), deadLettered(8, 4500), replayed(9000), delivered(9, 9000)],
    ],
  ];
  // Every record but a replay (an operator may replay twice), read again at each later point.
  const cases = histories.flatMap(([history, records]) =>
    records
      .map((fact, i): [string, string, StatusFact[], number] => [history, label(fact), records, i])
      .filter(([, , , i]) => records[i]!.state !== 'REPLAYED'),
  );
  it.each(cases)('%s: %s read again later', (_history, _record, records, i) => {
    const once = fold(records);
    const later = records.slice(i + 1).map((_, k) => i + 1 + k + 1);
    const twice = later.map((at) =>
      fold([...records.slice(0, at), records[i]!, ...records.slice(at)]),
    );
    expect(twice).toEqual(later.map(() => once));
  });
});

describe("an older attempt's record does not undo a newer one", () => {
  const cases: Array<[string, StatusFact[], StatusFact]> = [
    [
      "a late failure of attempt 2 keeps attempt 3's next time",
      failures(3),
      failed(2, 100, 300, 'timeout'),
    ],
    ['a late failure does not reopen a delivered delivery', [delivered(2, 100)], failed(1, 0, 100)],
    [
      'a late failure does not revive a dead letter',
      [...failures(7), deadLettered(8, 4500)],
      failed(7, 3500, 4500),
    ],
    ['a late failure does not revive a 410', [disabled(3, 300)], failed(2, 100, 300)],
    ['a late dead letter does not stop a later attempt', failures(3), deadLettered(2, 100)],
    ['a late 410 does not stop a later attempt', failures(3), disabled(2, 100)],
    [
      'a late failure of the previous round does not touch a replayed delivery',
      [...failures(7), deadLettered(8, 4500), replayed(9000)],
      failed(7, 3500, 4500),
    ],
    [
      "the previous round's dead letter does not stop a replayed delivery",
      [...failures(7), deadLettered(8, 4500), replayed(9000)],
      deadLettered(8, 4500),
    ],
    [
      "the previous round's 410 does not stop a replayed delivery",
      [disabled(1, 0), replayed(9000)],
      disabled(1, 0),
    ],
    [
      "the previous round's dead letter does not stop the new round's retries",
      [...failures(7), deadLettered(8, 4500), replayed(9000), failed(9, 9000, 9100)],
      deadLettered(8, 4500),
    ],
  ];
  it.each(cases)('%s', (_name, records, stale) => {
    expect(fold([...records, stale])).toEqual(fold(records));
  });
});

describe('statusAfterAttempt', () => {
  const retry = (reason = 'status=503', notBefore?: number): AttemptVerdict =>
    notBefore === undefined
      ? { kind: 'retry', reason }
      : { kind: 'retry', reason, notBefore: t(notBefore) };
  const replayedAfter8 = [...failures(7), deadLettered(8, 4500), replayed(60_000)];
  type Row = [
    name: string,
    before: StatusFact[],
    attempt: number,
    verdict: AttemptVerdict,
    now: number,
    want: StatusFact,
  ];
  const cases: Row[] = [
    ['a 2xx: DELIVERED', [], 1, { kind: 'delivered' }, 0, delivered(1, 0)],
    [
      'a 2xx after failures: DELIVERED',
      failures(2),
      3,
      { kind: 'delivered' },
      300,
      delivered(3, 300),
    ],
    ['a 410: ENDPOINT_DISABLED', [], 1, { kind: 'endpoint-disabled' }, 0, disabled(1, 0)],
    [
      'a 410 late in the schedule: ENDPOINT_DISABLED, not a dead letter',
      failures(7),
      8,
      { kind: 'endpoint-disabled' },
      4500,
      disabled(8, 4500),
    ],
    [
      'a first failure retries after initialDelayMs',
      [],
      1,
      retry('status=500'),
      0,
      failed(1, 0, 100, 'status=500'),
    ],
    [
      'the second wait is factor times the first',
      failures(1),
      2,
      retry(),
      100,
      failed(2, 100, 300),
    ],
    ['and so on', failures(3), 4, retry('timeout'), 700, failed(4, 700, 1500, 'timeout')],
    ['the wait stops growing at maxDelayMs', failures(5), 6, retry(), 2500, failed(6, 2500, 3500)],
    [
      'the wait runs from when the attempt ended',
      failures(1),
      2,
      retry(),
      250,
      failed(2, 250, 450),
    ],
    [
      'a Retry-After later than the backoff is honoured',
      [],
      1,
      retry('status=429', 400),
      0,
      failed(1, 0, 400, 'status=429'),
    ],
    [
      'a Retry-After sooner than the backoff is no reason to hurry',
      failures(2),
      3,
      retry('status=503', 350),
      300,
      failed(3, 300, 700),
    ],
    [
      'a Retry-After exactly at giveUpAfterMs is still honoured',
      failures(1),
      2,
      retry('status=503', 5000),
      100,
      failed(2, 100, 5000),
    ],
    [
      'a Retry-After past giveUpAfterMs dead-letters at once',
      failures(1),
      2,
      retry('status=503', 5001),
      100,
      deadLettered(2, 100),
    ],
    [
      'the 7th failure retries at 4.5 s, within giveUpAfterMs',
      failures(6),
      7,
      retry(),
      3500,
      failed(7, 3500, 4500),
    ],
    [
      'the 8th failure dead-letters: a 9th would come after giveUpAfterMs',
      failures(7),
      8,
      retry('timeout'),
      4500,
      deadLettered(8, 4500, 'timeout'),
    ],
    [
      'a next attempt due exactly at giveUpAfterMs is still made',
      failures(6),
      7,
      retry(),
      4000,
      failed(7, 4000, 5000),
    ],
    ['one due 1 ms past it is not', failures(6), 7, retry(), 4001, deadLettered(7, 4001)],
    [
      'the first failure after a replay waits initialDelayMs again',
      replayedAfter8,
      9,
      retry(),
      60_000,
      failed(9, 60_000, 60_100),
    ],
    [
      'the second failure after a replay waits factor times that',
      [...replayedAfter8, failed(9, 60_000, 60_100)],
      10,
      retry(),
      60_100,
      failed(10, 60_100, 60_300),
    ],
    [
      "a dead letter read again after the replay does not bring the new round's deadline forward",
      [...replayedAfter8, deadLettered(8, 4500)],
      9,
      retry(),
      60_000,
      failed(9, 60_000, 60_100),
    ],
    [
      'the first failure after replaying a 410 waits initialDelayMs again',
      [...failures(3), disabled(4, 700), replayed(60_000)],
      5,
      retry(),
      60_000,
      failed(5, 60_000, 60_100),
    ],
    [
      "after a replay, giveUpAfterMs runs from the new round's first attempt",
      [...replayedAfter8, ...failures(6, 60_000, 9)],
      15,
      retry(),
      63_500,
      failed(15, 63_500, 64_500),
    ],
    [
      'and the new round dead-letters after 8 attempts of its own',
      [...replayedAfter8, ...failures(7, 60_000, 9)],
      16,
      retry(),
      64_500,
      deadLettered(16, 64_500),
    ],
  ];
  it.each(cases)('%s', (_name, before, attempt, verdict, now, want) => {
    expect(statusAfterAttempt(fold(before), attempt, verdict, t(now), FAST, noJitter)).toEqual(
      want,
    );
  });

  it('shortens the wait by the jitter share random draws', () => {
    const jittered = { ...FAST, jitter: 0.5 };
    const fact = statusAfterAttempt(NEW_PROGRESS, 1, retry(), t(0), jittered, () => 0.5);
    expect(fact).toEqual(failed(1, 0, 75));
  });
});

/** Attempts `progress` until it stops, each ending when due, answered by `answer`. */
function attemptUntilStopped(
  progress: Progress,
  answer: (attempt: number, now: number) => AttemptVerdict,
  start = t(0),
): { progress: Progress; records: string[] } {
  const records: string[] = [];
  while (progress.push === 'pending') {
    const attempt = progress.attempts + 1;
    const now = progress.nextAttemptAt ?? start;
    const fact = statusAfterAttempt(progress, attempt, answer(attempt, now), now, FAST, noJitter);
    records.push(`${fact.state}#${attempt} at ${now - T}`);
    progress = foldStatus(progress, fact);
    if (records.length > 100) throw new Error('never stopped');
  }
  return { progress, records };
}
const failing = (): AttemptVerdict => ({ kind: 'retry', reason: 'status=503' });

describe('a delivery attempted attempt by attempt', () => {
  it('failing every time, is dead-lettered at its 8th attempt, 4.5 s after its first', () => {
    const { progress, records } = attemptUntilStopped(NEW_PROGRESS, failing);
    expect(records).toEqual([
      'FAILED_RETRYING#1 at 0',
      'FAILED_RETRYING#2 at 100',
      'FAILED_RETRYING#3 at 300',
      'FAILED_RETRYING#4 at 700',
      'FAILED_RETRYING#5 at 1500',
      'FAILED_RETRYING#6 at 2500',
      'FAILED_RETRYING#7 at 3500',
      'DEAD_LETTERED#8 at 4500',
    ]);
    expect(progress).toMatchObject({ push: 'dead-lettered', attempts: 8, deadLetteredAt: t(4500) });
  });

  it('replayed after that, gets a whole new round of 8 attempts, counted on from 9', () => {
    const dead = attemptUntilStopped(NEW_PROGRESS, failing).progress;
    const again = foldStatus(dead, replayed(60_000));
    const { progress, records } = attemptUntilStopped(again, failing);
    expect(records).toEqual([
      'FAILED_RETRYING#9 at 60000',
      'FAILED_RETRYING#10 at 60100',
      'FAILED_RETRYING#11 at 60300',
      'FAILED_RETRYING#12 at 60700',
      'FAILED_RETRYING#13 at 61500',
      'FAILED_RETRYING#14 at 62500',
      'FAILED_RETRYING#15 at 63500',
      'DEAD_LETTERED#16 at 64500',
    ]);
    expect(progress).toMatchObject({ push: 'dead-lettered', attempts: 16, roundBase: 8 });
  });

  it('recovering at the 4th attempt, is delivered after 4 attempts', () => {
    const { progress, records } = attemptUntilStopped(NEW_PROGRESS, (attempt) =>
      attempt === 4 ? { kind: 'delivered' } : failing(),
    );
    expect(records).toEqual([
      'FAILED_RETRYING#1 at 0',
      'FAILED_RETRYING#2 at 100',
      'FAILED_RETRYING#3 at 300',
      'DELIVERED#4 at 700',
    ]);
    expect(progress).toMatchObject({ push: 'delivered', attempts: 4, nextAttemptAt: null });
  });

  it('asked to wait 1 s each time (Retry-After), is dead-lettered at its 6th attempt', () => {
    const { records } = attemptUntilStopped(NEW_PROGRESS, (_attempt, now) => ({
      kind: 'retry',
      reason: 'status=503',
      notBefore: now + 1000,
    }));
    expect(records).toEqual([
      'FAILED_RETRYING#1 at 0',
      'FAILED_RETRYING#2 at 1000',
      'FAILED_RETRYING#3 at 2000',
      'FAILED_RETRYING#4 at 3000',
      'FAILED_RETRYING#5 at 4000',
      'DEAD_LETTERED#6 at 5000',
    ]);
  });

  it('carries on where it stopped when another dispatcher folds its records again', () => {
    const written: StatusFact[] = [];
    let progress = NEW_PROGRESS;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const now = progress.nextAttemptAt ?? t(0);
      const fact = statusAfterAttempt(progress, attempt, failing(), now, FAST, noJitter);
      written.push(fact);
      progress = foldStatus(progress, fact);
    }
    const takenOver = fold(written);
    expect(takenOver).toEqual(progress);
    expect(attemptUntilStopped(takenOver, failing).records).toEqual([
      'FAILED_RETRYING#4 at 700',
      'FAILED_RETRYING#5 at 1500',
      'FAILED_RETRYING#6 at 2500',
      'FAILED_RETRYING#7 at 3500',
      'DEAD_LETTERED#8 at 4500',
    ]);
  });
});

describe('dutiesOf', () => {
  const ackBy = t(10_000);
  const BEFORE = 9_999;
  const AFTER = 10_001;
  const told = (...reasons: EscalationReason[]): StatusFact[] =>
    reasons.map((reason) => escalated(reason));
  const RETRYING = [failed(1, 0, 100)];
  const DELIVERED = [delivered(1, 0)];
  const DEAD = [failed(1, 0, 100), deadLettered(2, 100)];
  const DISABLED = [disabled(1, 0)];

  /** `push, escalate DEAD_LETTERED`; `wait` when nothing is owed yet. */
  const owed = (duties: Duties): string =>
    [
      duties.push && 'push',
      duties.escalate && `escalate ${duties.escalate}`,
      duties.closeEscalation && 'close escalation',
      duties.confirmDelivered && 'confirm delivered',
      duties.settled && 'settled',
    ]
      .filter(Boolean)
      .join(', ') || 'wait';

  type Row = [
    name: string,
    pushes: boolean,
    records: StatusFact[],
    acked: boolean,
    now: number,
    want: string,
  ];
  const WEBHOOK = true;
  const PULL = false;
  const cases: Row[] = [
    ['a new delivery to a webhook is pushed', WEBHOOK, [], false, BEFORE, 'push'],
    ['a failed push is pushed again', WEBHOOK, RETRYING, false, BEFORE, 'push'],
    ['a delivered push waits for its acknowledgement', WEBHOOK, DELIVERED, false, BEFORE, 'wait'],
    [
      'a dead letter is escalated at once, before ackBy',
      WEBHOOK,
      DEAD,
      false,
      BEFORE,
      'escalate DEAD_LETTERED',
    ],
    [
      'a 410 is escalated at once, before ackBy',
      WEBHOOK,
      DISABLED,
      false,
      BEFORE,
      'escalate ENDPOINT_DISABLED',
    ],
    [
      'a dead letter operators were told of is not escalated again',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED')],
      false,
      BEFORE,
      'wait',
    ],
    [
      'a 410 operators were told of is not escalated again',
      WEBHOOK,
      [...DISABLED, ...told('ENDPOINT_DISABLED')],
      false,
      BEFORE,
      'wait',
    ],
    [
      'a delivered push not acknowledged by ackBy is escalated',
      WEBHOOK,
      DELIVERED,
      false,
      AFTER,
      'escalate NOT_ACKNOWLEDGED',
    ],
    [
      'a push still failing at ackBy is escalated and pushed on',
      WEBHOOK,
      RETRYING,
      false,
      AFTER,
      'push, escalate NOT_ACKNOWLEDGED',
    ],
    [
      'an unacknowledged delivery is escalated once',
      WEBHOOK,
      [...DELIVERED, ...told('NOT_ACKNOWLEDGED')],
      false,
      AFTER,
      'wait',
    ],
    [
      'a push still failing after its escalation is pushed on',
      WEBHOOK,
      [...RETRYING, ...told('NOT_ACKNOWLEDGED')],
      false,
      AFTER,
      'push',
    ],
    [
      'a dead letter past ackBy is escalated as a dead letter',
      WEBHOOK,
      DEAD,
      false,
      AFTER,
      'escalate DEAD_LETTERED',
    ],
    [
      'a 410 past ackBy is escalated as a 410',
      WEBHOOK,
      DISABLED,
      false,
      AFTER,
      'escalate ENDPOINT_DISABLED',
    ],
    [
      'a dead letter after the escalation at ackBy is told too',
      WEBHOOK,
      [...told('NOT_ACKNOWLEDGED'), ...DEAD],
      false,
      AFTER,
      'escalate DEAD_LETTERED',
    ],
    [
      'a 410 after the escalation at ackBy is told too',
      WEBHOOK,
      [...told('NOT_ACKNOWLEDGED'), ...DISABLED],
      false,
      AFTER,
      'escalate ENDPOINT_DISABLED',
    ],
    [
      'operators told of a dead letter are not told again when ackBy passes',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED')],
      false,
      AFTER,
      'wait',
    ],
    [
      'operators told of a 410 are not told again when ackBy passes',
      WEBHOOK,
      [...DISABLED, ...told('ENDPOINT_DISABLED')],
      false,
      AFTER,
      'wait',
    ],
    [
      'a replayed dead letter is pushed again, not escalated again',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED'), replayed(9000)],
      false,
      AFTER,
      'push',
    ],
    [
      'a replayed dead letter that dies again is not escalated twice',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED'), replayed(9000), deadLettered(3, 9000)],
      false,
      AFTER,
      'wait',
    ],
    ['an acknowledged delivery is settled', WEBHOOK, DELIVERED, true, BEFORE, 'settled'],
    [
      'a delivery acknowledged from the inbox while pushes failed needs no more pushes, and is confirmed delivered',
      WEBHOOK,
      RETRYING,
      true,
      BEFORE,
      'confirm delivered',
    ],
    [
      'an acknowledged push whose outcome was never recorded (a SIGKILL after the 2xx) is confirmed delivered',
      WEBHOOK,
      [],
      true,
      BEFORE,
      'confirm delivered',
    ],
    [
      'a delivery confirmed by its acknowledgement is settled',
      WEBHOOK,
      [failed(1, 0, 100), delivered(2, 200)],
      true,
      BEFORE,
      'settled',
    ],
    ['an acknowledged pull delivery needs no confirmation', PULL, [], true, BEFORE, 'settled'],
    [
      'a delivery acknowledged after ackBy, never escalated, is settled',
      WEBHOOK,
      DELIVERED,
      true,
      AFTER,
      'settled',
    ],
    [
      'a dead letter acknowledged before operators were told needs no escalation',
      WEBHOOK,
      DEAD,
      true,
      AFTER,
      'settled',
    ],
    [
      'an acknowledgement after the escalation at ackBy closes it',
      WEBHOOK,
      [...DELIVERED, ...told('NOT_ACKNOWLEDGED')],
      true,
      AFTER,
      'close escalation',
    ],
    [
      'an acknowledgement after a dead letter was escalated closes it',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED')],
      true,
      AFTER,
      'close escalation',
    ],
    [
      'an acknowledgement after a 410 was escalated closes it',
      WEBHOOK,
      [...DISABLED, ...told('ENDPOINT_DISABLED')],
      true,
      AFTER,
      'close escalation',
    ],
    [
      'an acknowledgement after several escalations closes them once',
      WEBHOOK,
      [...told('NOT_ACKNOWLEDGED'), ...DEAD, ...told('DEAD_LETTERED')],
      true,
      AFTER,
      'close escalation',
    ],
    [
      'once the escalation is closed, the delivery is settled',
      WEBHOOK,
      [...DEAD, ...told('DEAD_LETTERED'), escalationClosed()],
      true,
      AFTER,
      'settled',
    ],
    ['a delivery to a pulling recipient is never pushed', PULL, [], false, BEFORE, 'wait'],
    [
      'a pulled delivery not acknowledged by ackBy is escalated',
      PULL,
      [],
      false,
      AFTER,
      'escalate NOT_ACKNOWLEDGED',
    ],
    ['a pulled delivery is escalated once', PULL, told('NOT_ACKNOWLEDGED'), false, AFTER, 'wait'],
    ['an acknowledged pulled delivery is settled', PULL, [], true, AFTER, 'settled'],
    [
      'an acknowledgement of a pulled delivery after its escalation closes it',
      PULL,
      told('NOT_ACKNOWLEDGED'),
      true,
      AFTER,
      'close escalation',
    ],
  ];
  it.each(cases)('%s', (_name, pushes, records, acked, now, want) => {
    const duties = dutiesOf({ eventType: 'RAISED', ackBy }, pushes, fold(records), acked, t(now));
    expect(owed(duties)).toBe(want);
  });

  describe.each(['ESCALATION', 'ESCALATION_CLOSED'])('a notice to operators (%s)', (eventType) => {
    const notices: Row[] = [
      ['is pushed', WEBHOOK, [], false, BEFORE, 'push'],
      ['is pushed again after a failure, past ackBy', WEBHOOK, RETRYING, false, AFTER, 'push'],
      [
        'is settled once pushed, awaiting no acknowledgement',
        WEBHOOK,
        DELIVERED,
        false,
        AFTER,
        'settled',
      ],
      ['is settled when dead-lettered, and not escalated', WEBHOOK, DEAD, false, AFTER, 'settled'],
      [
        'is settled when its endpoint answered 410, and not escalated',
        WEBHOOK,
        DISABLED,
        false,
        AFTER,
        'settled',
      ],
      [
        'to a pulling recipient is settled at once, and not escalated',
        PULL,
        [],
        false,
        AFTER,
        'settled',
      ],
      ['is settled when acknowledged', WEBHOOK, RETRYING, true, AFTER, 'settled'],
    ];
    it.each(notices)('%s', (_name, pushes, records, acked, now, want) => {
      const duties = dutiesOf({ eventType, ackBy }, pushes, fold(records), acked, t(now));
      expect(owed(duties)).toBe(want);
    });
  });
});

describe('awaitingRetry (the retry backlog)', () => {
  const cases: Array<[string, StatusFact[], boolean]> = [
    ['a delivery never attempted', [], false],
    ['a delivery whose attempt failed', [failed(1, t(0), t(100))], true],
    ['a delivery failed twice', failures(2), true],
    [
      'a delivery delivered after a failure',
      [failed(1, t(0), t(100)), delivered(2, t(100))],
      false,
    ],
    ['a dead letter', [...failures(7), deadLettered(8, t(4500))], false],
    [
      'a dead letter replayed, before its first new attempt',
      [...failures(7), deadLettered(8, t(4500)), replayed(t(5000))],
      false,
    ],
    [
      'a replayed dead letter whose new attempt failed',
      [...failures(7), deadLettered(8, t(4500)), replayed(t(5000)), failed(9, t(5000), t(5100))],
      true,
    ],
    ['an endpoint that answered 410', [disabled(1, t(0))], false],
    [
      'an escalated delivery still failing',
      [failed(1, t(0), t(100)), escalated('NOT_ACKNOWLEDGED')],
      true,
    ],
  ];
  it.each(cases)('%s', (_name, records, want) => {
    expect(awaitingRetry(fold(records))).toBe(want);
  });
});
