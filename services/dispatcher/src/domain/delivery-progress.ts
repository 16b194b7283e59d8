/**
 * How far a delivery has got, folded from its delivery-status records (docs/DELIVERY.md).
 * The records are the memory: a dispatcher that restarts, or takes over a partition,
 * folds them again and carries on where the last one stopped, neither losing an attempt
 * count nor restarting the schedule. Pure: the edge reads the records and writes new ones.
 */
import type { AttemptVerdict, RetrySchedule } from './retry-schedule';
import { nextAttempt } from './retry-schedule';

/** The DeliveryState symbols this module reads and writes. */
export type StatusState =
  | 'PENDING'
  | 'ATTEMPTED'
  | 'DELIVERED'
  | 'FAILED_RETRYING'
  | 'DEAD_LETTERED'
  | 'ENDPOINT_DISABLED'
  | 'ESCALATED'
  | 'ESCALATION_CLOSED'
  | 'REPLAYED'
  | 'UNKNOWN';

/** Why operators are told about a delivery (the Escalation record's reason). */
export type EscalationReason = 'NOT_ACKNOWLEDGED' | 'DEAD_LETTERED' | 'ENDPOINT_DISABLED';

/** What the fold needs of a DeliveryStatus record. */
export interface StatusFact {
  readonly state: StatusState;
  readonly attempt: number;
  readonly at: number;
  /** The failure, or for ESCALATED the EscalationReason. */
  readonly errorKind: string | null;
  readonly nextAttemptAt: number | null;
}

/**
 * `pending`: to be pushed (when `nextAttemptAt` comes); `delivered`: a 2xx came back;
 * `dead-lettered`: the schedule ran out; `endpoint-disabled`: the recipient answered 410.
 */
export type PushState = 'pending' | 'delivered' | 'dead-lettered' | 'endpoint-disabled';

export interface Progress {
  readonly push: PushState;
  /** Attempts made so far, over every round (a replay starts a round, not a count). */
  readonly attempts: number;
  /** Attempts made before the current round (a replay starts a new round). */
  readonly roundBase: number;
  /** When the current round's first attempt was made; null before it. */
  readonly roundStartedAt: number | null;
  /** Not before this; null means at once. */
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
  readonly deadLetteredAt: number | null;
  readonly disabledAt: number | null;
  /** The reasons operators have been told of. */
  readonly escalations: readonly EscalationReason[];
  /** An acknowledgement came after an escalation, and operators were told. */
  readonly escalationClosed: boolean;
}

export const NEW_PROGRESS: Progress = Object.freeze({
  push: 'pending',
  attempts: 0,
  roundBase: 0,
  roundStartedAt: null,
  nextAttemptAt: null,
  lastError: null,
  deadLetteredAt: null,
  disabledAt: null,
  escalations: [],
  escalationClosed: false,
});

const ESCALATION_REASONS: readonly string[] = [
  'NOT_ACKNOWLEDGED',
  'DEAD_LETTERED',
  'ENDPOINT_DISABLED',
];

/**
 * `progress` after `fact`. Attempt outcomes are folded by attempt number, so a record
 * read twice (a restart re-reads the topic) changes nothing the second time, and an
 * older attempt's record never undoes a newer one.
 */
export function foldStatus(progress: Progress = NEW_PROGRESS, fact: StatusFact): Progress {
  const isAttempt = ['DELIVERED', 'FAILED_RETRYING', 'DEAD_LETTERED', 'ENDPOINT_DISABLED'].includes(
    fact.state,
  );
  if (isAttempt && fact.attempt < progress.attempts) return progress;
  // A replay starts a round: an outcome of an attempt before it, read again, is older still.
  if (isAttempt && fact.attempt <= progress.roundBase) return progress;
  if (isAttempt && fact.attempt === progress.attempts && progress.push !== 'pending')
    return progress;
  const attempted: Progress = isAttempt
    ? {
        ...progress,
        attempts: fact.attempt,
        roundStartedAt: progress.roundStartedAt ?? fact.at,
        lastError: fact.errorKind ?? progress.lastError,
      }
    : progress;
  switch (fact.state) {
    case 'DELIVERED':
      return { ...attempted, push: 'delivered', nextAttemptAt: null };
    case 'FAILED_RETRYING':
      return { ...attempted, push: 'pending', nextAttemptAt: fact.nextAttemptAt };
    case 'DEAD_LETTERED':
      return { ...attempted, push: 'dead-lettered', nextAttemptAt: null, deadLetteredAt: fact.at };
    case 'ENDPOINT_DISABLED':
      return { ...attempted, push: 'endpoint-disabled', nextAttemptAt: null, disabledAt: fact.at };
    case 'ESCALATED': {
      const reason = fact.errorKind ?? '';
      if (!ESCALATION_REASONS.includes(reason) || progress.escalations.includes(reason as never))
        return progress;
      return { ...progress, escalations: [...progress.escalations, reason as EscalationReason] };
    }
    case 'ESCALATION_CLOSED':
      return { ...progress, escalationClosed: true };
    case 'REPLAYED':
      // Only a delivery that stopped can be sent again; a replay of one already pending
      // or delivered (two operators asking at once) changes nothing.
      if (progress.push !== 'dead-lettered' && progress.push !== 'endpoint-disabled')
        return progress;
      return {
        ...progress,
        push: 'pending',
        roundBase: progress.attempts,
        roundStartedAt: null,
        nextAttemptAt: fact.at,
        deadLetteredAt: null,
        disabledAt: null,
      };
    default:
      return progress;
  }
}

/**
 * A push that failed and waits for its next attempt: pending, with an attempt made in
 * this round (a replayed dead letter waits for its first one, not for a retry).
 */
export function awaitingRetry(progress: Progress): boolean {
  return progress.push === 'pending' && progress.attempts > progress.roundBase;
}

/** The record to write after an attempt numbered `attempt` ended at `now` with `verdict`. */
export function statusAfterAttempt(
  progress: Progress,
  attempt: number,
  verdict: AttemptVerdict,
  now: number,
  schedule: RetrySchedule,
  random: () => number,
): StatusFact {
  switch (verdict.kind) {
    case 'delivered':
      return { state: 'DELIVERED', attempt, at: now, errorKind: null, nextAttemptAt: null };
    case 'endpoint-disabled':
      return {
        state: 'ENDPOINT_DISABLED',
        attempt,
        at: now,
        errorKind: 'status=410',
        nextAttemptAt: null,
      };
    case 'retry': {
      const roundStart = progress.roundStartedAt ?? now;
      // The attempt number within this round drives the backoff, so a replay starts short.
      const next = nextAttempt(
        attempt - progress.roundBase,
        roundStart,
        now,
        schedule,
        random,
        verdict.notBefore,
      );
      return next === 'give-up'
        ? {
            state: 'DEAD_LETTERED',
            attempt,
            at: now,
            errorKind: verdict.reason,
            nextAttemptAt: null,
          }
        : {
            state: 'FAILED_RETRYING',
            attempt,
            at: now,
            errorKind: verdict.reason,
            nextAttemptAt: next.at,
          };
    }
  }
}

/** Event types of the notices the dispatcher itself sends operators: never escalated. */
export const NOTICE_EVENT_TYPES: readonly string[] = ['ESCALATION', 'ESCALATION_CLOSED'];

/** What the dispatcher owes one delivery at a moment. */
export interface Duties {
  /** An attempt is to be made (when the schedule, order and breaker allow). */
  readonly push: boolean;
  /** Operators are to be told, and why. */
  readonly escalate: EscalationReason | null;
  /** Operators told earlier are to hear that the recipient acknowledged after all. */
  readonly closeEscalation: boolean;
  /**
   * The recipient acknowledged a webhook delivery whose push has no outcome on record: the
   * dispatcher died between the 2xx and its status, or the recipient took it from its
   * inbox while pushes failed. A DELIVERED status confirmed by the recipient (its actor) is
   * to be written, so the trail says the delivery reached it.
   */
  readonly confirmDelivered: boolean;
  /** Nothing more will ever be done: the delivery can be forgotten and its offset committed. */
  readonly settled: boolean;
}

/**
 * The dispatcher's duties towards a delivery of `eventType`, due for acknowledgement by
 * `ackBy`, whose recipient takes pushes (`pushes`: webhook mode) or pulls, given its
 * `progress` and whether it was `acked`:
 *
 * - it is pushed until delivered, dead-lettered, stopped by a 410, or acknowledged (a
 *   recipient that read it from its inbox and acknowledged needs no push);
 * - operators are told once each when it is dead-lettered or its endpoint answered 410,
 *   and when `ackBy` passes unacknowledged unless they were told already;
 * - an acknowledgement after any of those is told to them too (the escalation closes);
 * - it is settled when acknowledged and nothing is left to tell. Notices to operators are
 *   neither escalated nor awaited: settled once pushed, dead-lettered or pulled.
 */
export function dutiesOf(
  delivery: { eventType: string; ackBy: number },
  pushes: boolean,
  progress: Progress,
  acked: boolean,
  now: number,
): Duties {
  const push = pushes && !acked && progress.push === 'pending';
  const confirmDelivered = pushes && acked && progress.push === 'pending';
  if (NOTICE_EVENT_TYPES.includes(delivery.eventType)) {
    // A notice to operators is not an alert's delivery: its acknowledgement settles it.
    return {
      push,
      escalate: null,
      closeEscalation: false,
      confirmDelivered: false,
      settled: !push,
    };
  }
  const told = progress.escalations;
  let escalate: EscalationReason | null = null;
  if (!acked) {
    if (progress.push === 'dead-lettered' && !told.includes('DEAD_LETTERED'))
      escalate = 'DEAD_LETTERED';
    else if (progress.push === 'endpoint-disabled' && !told.includes('ENDPOINT_DISABLED'))
      escalate = 'ENDPOINT_DISABLED';
    else if (now >= delivery.ackBy && told.length === 0) escalate = 'NOT_ACKNOWLEDGED';
  }
  const closeEscalation = acked && told.length > 0 && !progress.escalationClosed;
  return {
    push,
    escalate,
    closeEscalation,
    confirmDelivered,
    settled: acked && !closeEscalation && !confirmDelivered,
  };
}
