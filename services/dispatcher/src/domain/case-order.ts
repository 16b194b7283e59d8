/**
 * Per (recipient, case) order (../shared/CONTRACT.md: "for one recipient, the events of
 * one case arrive in order"). A hotline must not read RESOLVED before the RAISED it
 * closes, so a later event of a case waits until the earlier one is delivered or
 * dead-lettered. Other cases, and other recipients of the same case, never wait for it:
 * one slow endpoint or one stuck case holds back nothing else. Pure and immutable: each
 * change returns a new CaseOrder; the edge keeps the current one.
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
export interface Lane {
  /** Lowest sequence first; the first is the only one that may be attempted. */
  readonly waiting: readonly WaitingDelivery[];
  /**
   * The highest sequence delivered or dead-lettered. A delivery at or below it is done
   * (only the head of a lane ever finishes), so reading it again adds nothing.
   */
  readonly doneThrough: number | null;
}

export interface CaseOrder {
  /** By laneKey(recipientId, caseId), in the order lanes were first seen. */
  readonly lanes: ReadonlyMap<string, Lane>;
}

export const emptyCaseOrder = (): CaseOrder => ({ lanes: new Map() });

/** The key of a (recipient, case) lane; NUL cannot occur in either id. */
export const laneKey = (recipientId: string, caseId: string): string => `${recipientId}\0${caseId}`;

const EMPTY_LANE: Lane = { waiting: [], doneThrough: null };

const laneOf = (order: CaseOrder, d: OrderedDelivery): Lane =>
  order.lanes.get(laneKey(d.recipientId, d.caseId)) ?? EMPTY_LANE;

function withLane(order: CaseOrder, d: OrderedDelivery, lane: Lane): CaseOrder {
  const lanes = new Map(order.lanes);
  lanes.set(laneKey(d.recipientId, d.caseId), lane);
  return { lanes };
}

const isDone = (lane: Lane, d: OrderedDelivery): boolean =>
  lane.doneThrough !== null && d.sequence <= lane.doneThrough;

const isWaiting = (lane: Lane, d: OrderedDelivery): boolean =>
  lane.waiting.some((w) => w.delivery.deliveryId === d.deliveryId);

/** Sequence, then deliveryId: a total order, so the head of a lane is never ambiguous. */
const before = (a: OrderedDelivery, b: OrderedDelivery): boolean =>
  a.sequence < b.sequence || (a.sequence === b.sequence && a.deliveryId < b.deliveryId);

/**
 * `order` with `delivery` waiting, pending, in sequence order. A delivery already waiting
 * or already done (read again after a restart or a rebalance) changes nothing, and `order`
 * itself is returned so the caller can tell. An attempt under way cannot be called back,
 * so an earlier event arriving while a later one is in flight (never, while the
 * deliveries topic keeps a case in order) queues behind it.
 */
export function addDelivery(order: CaseOrder, delivery: OrderedDelivery): CaseOrder {
  const lane = laneOf(order, delivery);
  if (isDone(lane, delivery)) return order;
  if (isWaiting(lane, delivery)) return order;
  const waiting = [...lane.waiting];
  const firstMovable = waiting[0]?.state === 'in-flight' ? 1 : 0;
  const later = waiting.findIndex((w, i) => i >= firstMovable && before(delivery, w.delivery));
  waiting.splice(later === -1 ? waiting.length : later, 0, { delivery, state: 'pending' });
  return withLane(order, delivery, { ...lane, waiting });
}

/**
 * The deliveries that order allows to be attempted now: the first waiting delivery of
 * each (recipient, case), unless an attempt of it is under way. When its retry is due is
 * the retry schedule's business, not this.
 */
export function deliverable(order: CaseOrder): OrderedDelivery[] {
  return [...order.lanes.values()].flatMap(({ waiting: [head] }) =>
    head && head.state === 'pending' ? [head.delivery] : [],
  );
}

/** The head of `delivery`'s lane, in `state`; throws otherwise, since only a bug gets here. */
function requireHead(lane: Lane, delivery: OrderedDelivery, state?: WaitingState): void {
  const head = lane.waiting[0];
  if (head?.delivery.deliveryId !== delivery.deliveryId) {
    throw new Error(`delivery ${delivery.deliveryId} is not next in its case for its recipient`);
  }
  if (state && head.state !== state) {
    throw new Error(`delivery ${delivery.deliveryId} is ${head.state}, not ${state}`);
  }
}

const withHeadState = (lane: Lane, state: WaitingState): Lane => ({
  ...lane,
  waiting: lane.waiting.map((w, i) => (i === 0 ? { ...w, state } : w)),
});

/** An attempt of `delivery` starts. It must be deliverable. */
export function markInFlight(order: CaseOrder, delivery: OrderedDelivery): CaseOrder {
  const lane = laneOf(order, delivery);
  requireHead(lane, delivery, 'pending');
  return withLane(order, delivery, withHeadState(lane, 'in-flight'));
}

/**
 * The attempt of `delivery` failed and will be retried: pending again, and still ahead
 * of the later events of its case for its recipient.
 */
export function markAttemptFailed(order: CaseOrder, delivery: OrderedDelivery): CaseOrder {
  const lane = laneOf(order, delivery);
  requireHead(lane, delivery, 'in-flight');
  return withLane(order, delivery, withHeadState(lane, 'pending'));
}

/**
 * `delivery` was delivered or dead-lettered: the next event of its case for its
 * recipient may go. Marking a done delivery again changes nothing (returns `order`).
 */
export function markDone(order: CaseOrder, delivery: OrderedDelivery): CaseOrder {
  const lane = laneOf(order, delivery);
  if (!isWaiting(lane, delivery) && isDone(lane, delivery)) return order;
  requireHead(lane, delivery);
  return withLane(order, delivery, {
    waiting: lane.waiting.slice(1),
    doneThrough: Math.max(lane.doneThrough ?? delivery.sequence, delivery.sequence),
  });
}
