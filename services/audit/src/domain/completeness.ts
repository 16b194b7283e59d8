/**
 * The completeness report (issue 7): for a time window, whether every event published in
 * it has its routing record, and every delivery routed in it has been delivered,
 * acknowledged or dead-lettered, with each exception listed. Pure: the index (or a
 * trail) gives the states, this judges them.
 */

/** A published event as the index knows it. */
export interface EventState {
  eventId: string;
  caseId: string | null;
  kind: string;
  eventType: string | null;
  publishedAt: number;
  routedAt: number | null;
}

/** A routed delivery as the index knows it. */
export interface DeliveryState {
  deliveryId: string;
  recipient: string | null;
  caseId: string | null;
  routedAt: number;
  state: string;
  deliveredAt: number | null;
  acknowledgedAt: number | null;
  deadLetteredAt: number | null;
}

export interface EventException {
  eventId: string;
  caseId: string | null;
  eventType: string | null;
  publishedAt: string;
  problem: 'NOT_ROUTED';
}

export interface DeliveryException {
  deliveryId: string;
  recipient: string | null;
  caseId: string | null;
  routedAt: string;
  /** The latest fact about it in trail order. */
  latestState: string;
  problem: 'NOT_DELIVERED';
}

export interface CompletenessReport {
  window: { from: string; to: string };
  /** True when nothing is listed under exceptions. */
  complete: boolean;
  events: { published: number; routed: number; exceptions: EventException[] };
  deliveries: {
    routed: number;
    delivered: number;
    acknowledged: number;
    deadLettered: number;
    exceptions: DeliveryException[];
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The report for [from, to): the events published and the deliveries routed in the
 * window (the caller picks them by time), judged by what happened to them since. An
 * acknowledged pull delivery counts as reached, without a push; a dead-lettered one that
 * was replayed and delivered counts under both. Exceptions are oldest first.
 */
export function completenessReport(
  from: number,
  to: number,
  events: readonly EventState[],
  deliveries: readonly DeliveryState[],
): CompletenessReport {
  const inWindow = (at: number): boolean => at >= from && at < to;
  const published = events.filter((e) => inWindow(e.publishedAt));
  const routed = deliveries.filter((d) => inWindow(d.routedAt));
  const eventExceptions: EventException[] = published
    .filter((e) => e.routedAt === null)
    .sort((a, b) => a.publishedAt - b.publishedAt)
    .map((e) => ({
      eventId: e.eventId,
      caseId: e.caseId,
      eventType: e.eventType,
      publishedAt: iso(e.publishedAt),
      problem: 'NOT_ROUTED',
    }));
  const reached = (d: DeliveryState): boolean =>
    d.deliveredAt !== null || d.acknowledgedAt !== null || d.deadLetteredAt !== null;
  const deliveryExceptions: DeliveryException[] = routed
    .filter((d) => !reached(d))
    .sort((a, b) => a.routedAt - b.routedAt)
    .map((d) => ({
      deliveryId: d.deliveryId,
      recipient: d.recipient,
      caseId: d.caseId,
      routedAt: iso(d.routedAt),
      latestState: d.state,
      problem: 'NOT_DELIVERED',
    }));
  return {
    window: { from: iso(from), to: iso(to) },
    complete: eventExceptions.length === 0 && deliveryExceptions.length === 0,
    events: {
      published: published.length,
      routed: published.length - eventExceptions.length,
      exceptions: eventExceptions,
    },
    deliveries: {
      routed: routed.length,
      delivered: routed.filter((d) => d.deliveredAt !== null).length,
      acknowledged: routed.filter((d) => d.acknowledgedAt !== null).length,
      deadLettered: routed.filter((d) => d.deadLetteredAt !== null).length,
      exceptions: deliveryExceptions,
    },
  };
}
