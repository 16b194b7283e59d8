/**
 * Per (recipient, case) order (../shared/CONTRACT.md: "for one recipient, the events of
 * one case arrive in order"). A hotline must not read RESOLVED before the RAISED it
 * closes, so a later event of a case waits until the earlier one is delivered or
 * dead-lettered. Other cases, and other recipients of the same case, never wait for it:
 * one slow endpoint or one stuck case holds back nothing else. Pure (no I/O) but changed
 * in place: each change touches only its own lane, so a backlog of n deliveries costs
 * nothing per change (a copy of every lane per change made draining a backlog O(n²)).
 *
 * Ordering is by the router's `sequence` (the event's place in its case). A recipient may
 * not get every event of a case (it was routed later, or a subscription filters by event
 * type), so only the deliveries seen are ordered: nothing waits for a sequence that never
 * comes. Deliveries of one case arrive in order (the deliveries topic is keyed by caseId).
 */

/** What ordering needs of a Delivery. */
export interface OrderedDelivery {
  readonly deliveryId: string;
  readonly recipientId: string;
  readonly caseId: string;
  readonly sequence: number;
}

/** `pending`: waiting for its turn or its next retry; `in-flight`: an attempt is under way. */
export type WaitingState = 'pending' | 'in-flight';

export interface WaitingDelivery {
  readonly delivery: OrderedDelivery;
  readonly state: WaitingState;
}

/** The deliveries of one (recipient, case) not yet done, and how far it is done. */
interface Lane {
  /** Lowest sequence first; the first is the only one that may be attempted. */
  readonly waiting: WaitingDelivery[];
  /**
   * The highest sequence delivered or dead-lettered. A delivery at or below it is done
   * (only the head of a lane ever finishes), so reading it again adds nothing.
   */
  doneThrough: number | null;
  /** When the lane was first seen, counted from 0: the order lanes take turns in. */
  readonly rank: number;
}

/** The key of a (recipient, case) lane; NUL cannot occur in either id. */
export const laneKey = (recipientId: string, caseId: string): string => `${recipientId}\0${caseId}`;

const isDone = (lane: Lane, d: OrderedDelivery): boolean =>
  lane.doneThrough !== null && d.sequence <= lane.doneThrough;

const isWaiting = (lane: Lane, d: OrderedDelivery): boolean =>
  lane.waiting.some((w) => w.delivery.deliveryId === d.deliveryId);

/** Sequence, then deliveryId: a total order, so the head of a lane is never ambiguous. */
const before = (a: OrderedDelivery, b: OrderedDelivery): boolean =>
  a.sequence < b.sequence || (a.sequence === b.sequence && a.deliveryId < b.deliveryId);

/** The head of `lane`, in `state`; throws otherwise, since only a bug gets here. */
function requireHead(
  lane: Lane | undefined,
  delivery: OrderedDelivery,
  state?: WaitingState,
): asserts lane is Lane {
  const head = lane?.waiting[0];
  if (head?.delivery.deliveryId !== delivery.deliveryId) {
    throw new Error(`delivery ${delivery.deliveryId} is not next in its case for its recipient`);
  }
  if (state && head.state !== state) {
    throw new Error(`delivery ${delivery.deliveryId} is ${head.state}, not ${state}`);
  }
}

/** The lanes of every (recipient, case) seen, in the order they were first seen. */
export class CaseOrder {
  private readonly lanes = new Map<string, Lane>();

  private laneOf(d: OrderedDelivery): Lane | undefined {
    return this.lanes.get(laneKey(d.recipientId, d.caseId));
  }

  /**
   * `delivery` waiting, pending, in sequence order; true when that changed anything. A
   * delivery already waiting or already done (read again after a restart or a rebalance)
   * changes nothing. An attempt under way cannot be called back, so an earlier event
   * arriving while a later one is in flight (never, while the deliveries topic keeps a
   * case in order) queues behind it.
   */
  add(delivery: OrderedDelivery): boolean {
    const key = laneKey(delivery.recipientId, delivery.caseId);
    let lane = this.lanes.get(key);
    if (lane && (isDone(lane, delivery) || isWaiting(lane, delivery))) return false;
    if (!lane) {
      lane = { waiting: [], doneThrough: null, rank: this.lanes.size };
      this.lanes.set(key, lane);
    }
    const { waiting } = lane;
    const firstMovable = waiting[0]?.state === 'in-flight' ? 1 : 0;
    const later = waiting.findIndex((w, i) => i >= firstMovable && before(delivery, w.delivery));
    waiting.splice(later === -1 ? waiting.length : later, 0, { delivery, state: 'pending' });
    return true;
  }

  /**
   * The deliveries that order allows to be attempted now: the first waiting delivery of
   * each (recipient, case), unless an attempt of it is under way, lanes first seen first.
   * When its retry is due is the retry schedule's business, not this.
   */
  deliverable(): OrderedDelivery[] {
    return [...this.lanes.values()].flatMap(({ waiting: [head] }) =>
      head && head.state === 'pending' ? [head.delivery] : [],
    );
  }

  /**
   * The head of the (recipient, case) lane if order allows it to be attempted now, with
   * its lane's rank (`deliverable` lists lanes by rank): what changed when its lane did.
   */
  pendingHead(
    recipientId: string,
    caseId: string,
  ): { delivery: OrderedDelivery; rank: number } | undefined {
    const lane = this.lanes.get(laneKey(recipientId, caseId));
    const head = lane?.waiting[0];
    return lane && head?.state === 'pending'
      ? { delivery: head.delivery, rank: lane.rank }
      : undefined;
  }

  /** An attempt of `delivery` starts. It must be deliverable. */
  markInFlight(delivery: OrderedDelivery): void {
    const lane = this.laneOf(delivery);
    requireHead(lane, delivery, 'pending');
    lane.waiting[0] = { delivery, state: 'in-flight' };
  }

  /**
   * The attempt of `delivery` failed and will be retried: pending again, and still ahead
   * of the later events of its case for its recipient.
   */
  markAttemptFailed(delivery: OrderedDelivery): void {
    const lane = this.laneOf(delivery);
    requireHead(lane, delivery, 'in-flight');
    lane.waiting[0] = { delivery, state: 'pending' };
  }

  /**
   * `delivery` was delivered or dead-lettered: the next event of its case for its
   * recipient may go; true when that changed anything (marking a done delivery again does not).
   */
  markDone(delivery: OrderedDelivery): boolean {
    const lane = this.laneOf(delivery);
    if (lane && !isWaiting(lane, delivery) && isDone(lane, delivery)) return false;
    requireHead(lane, delivery);
    lane.waiting.shift();
    lane.doneThrough = Math.max(lane.doneThrough ?? delivery.sequence, delivery.sequence);
    return true;
  }
}
