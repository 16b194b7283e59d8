import { summarise, type LatencySummary } from './percentiles';

/** An alert the step published: when its first attempt started, and its event once accepted. */
export interface Sent {
  readonly sentAt: number;
  readonly acceptedAt?: number;
  readonly eventId?: string;
  /** The publication was refused (a 4xx) or given up. */
  readonly refused?: string;
}

/** A push a recipient accepted (2xx), or a record the floor's last consumer read. */
export interface Arrival {
  readonly recipientId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly at: number;
}

/** What a step came to, before its verdict. */
export interface StepFigures {
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  /**
   * The rate the accepted alerts were sent at: (n − 1) over the time from the first
   * accepted alert's send to the last's (0 with fewer than two). Below the rate asked when
   * the publisher could not keep its schedule (the exchange answered too slowly).
   */
  readonly achievedRate: number;
  readonly expectedDeliveries: number;
  /** Distinct deliveries (recipient, deliveryId) of the step's events that arrived. */
  readonly delivered: number;
  readonly acknowledged: number;
  /** Arrivals beyond each delivery's first (at-least-once re-sends). */
  readonly duplicates: number;
  /** Deliveries per second from the first send to the last arrival. */
  readonly deliveryRate: number;
  /** When the last arrival came, in ms after the last alert was accepted (0 if none). */
  readonly lastArrivalAfterEndMs: number;
  /** HTTP publish until 202 (absent for the floor: its send until acknowledged by Kafka). */
  readonly publish: LatencySummary;
  /** Publish started until the recipient had the delivery. */
  readonly delivery: LatencySummary;
  /** Publish started until the recipient's acknowledgement was answered 200. */
  readonly acknowledgement: LatencySummary;
}

/**
 * Joins a step's publications with what arrived and what was acknowledged (`ackedAt`,
 * keyed `recipientId deliveryId`): the latency of each delivery from its alert's first
 * publish attempt, counts, and rates. Arrivals of events the step did not publish (an
 * earlier step's stragglers) are left out.
 */
export function measureStep(input: {
  readonly sent: readonly Sent[];
  readonly arrivals: Iterable<Arrival>;
  readonly ackedAt: ReadonlyMap<string, number>;
  readonly fanOut: number;
}): StepFigures {
  const sentAtOf = new Map<string, number>();
  let firstSend = Infinity;
  let firstAcceptedSend = Infinity;
  let lastAcceptedSend = -Infinity;
  let lastAccepted = -Infinity;
  const publishMs: number[] = [];
  let refused = 0;
  for (const s of input.sent) {
    firstSend = Math.min(firstSend, s.sentAt);
    if (s.refused !== undefined) refused++;
    if (s.eventId === undefined || s.acceptedAt === undefined) continue;
    sentAtOf.set(s.eventId, s.sentAt);
    lastAccepted = Math.max(lastAccepted, s.acceptedAt);
    firstAcceptedSend = Math.min(firstAcceptedSend, s.sentAt);
    lastAcceptedSend = Math.max(lastAcceptedSend, s.sentAt);
    publishMs.push(s.acceptedAt - s.sentAt);
  }
  const firstArrival = new Map<string, number>();
  let duplicates = 0;
  let lastArrival = -Infinity;
  const deliveryMs: number[] = [];
  const acknowledgementMs: number[] = [];
  for (const a of input.arrivals) {
    const sentAt = sentAtOf.get(a.eventId);
    if (sentAt === undefined) continue;
    const id = `${a.recipientId} ${a.deliveryId}`;
    if (firstArrival.has(id)) {
      duplicates++;
      continue;
    }
    firstArrival.set(id, a.at);
    lastArrival = Math.max(lastArrival, a.at);
    deliveryMs.push(a.at - sentAt);
    const acked = input.ackedAt.get(id);
    if (acked !== undefined) acknowledgementMs.push(acked - sentAt);
  }
  const accepted = sentAtOf.size;
  const window = (end: number): number => (end > firstSend ? (end - firstSend) / 1_000 : 0);
  const perSecond = (n: number, end: number): number => (window(end) > 0 ? n / window(end) : 0);
  return {
    sent: input.sent.length,
    accepted,
    refused,
    achievedRate:
      accepted >= 2 && lastAcceptedSend > firstAcceptedSend
        ? ((accepted - 1) * 1_000) / (lastAcceptedSend - firstAcceptedSend)
        : 0,
    expectedDeliveries: accepted * input.fanOut,
    delivered: firstArrival.size,
    acknowledged: acknowledgementMs.length,
    duplicates,
    deliveryRate: perSecond(firstArrival.size, lastArrival),
    lastArrivalAfterEndMs: firstArrival.size > 0 ? Math.max(0, lastArrival - lastAccepted) : 0,
    publish: summarise(publishMs),
    delivery: summarise(deliveryMs),
    acknowledgement: summarise(acknowledgementMs),
  };
}

/** Whether a step held: nothing lost, and the exchange kept pace with the rate asked. */
export interface Verdict {
  readonly lost: number;
  readonly passed: boolean;
  /** Why it did not pass (empty when it did). */
  readonly reasons: readonly string[];
}

/**
 * Lost: not arrived by the end of the step's drain (the plan's drain timeout, or 20 s
 * without any arrival). A step passes when every accepted alert reached every recipient and was acknowledged
 * (`acknowledged` false for the floor: nothing acknowledges), nothing was refused, at least
 * 95 % of the asked rate was accepted, and the last delivery came within `keepUpGraceMs`
 * of the last acceptance (a backlog that grows is not sustained).
 */
export function judgeStep(
  figures: StepFigures,
  targetRate: number,
  keepUpGraceMs: number,
  acknowledged = true,
): Verdict {
  const lost = figures.expectedDeliveries - figures.delivered;
  const reasons: string[] = [];
  if (figures.sent === 0) reasons.push('nothing was sent');
  if (lost > 0)
    reasons.push(
      `${lost} of ${figures.expectedDeliveries} deliveries had not arrived by the end of the drain`,
    );
  if (acknowledged && figures.acknowledged < figures.delivered)
    reasons.push(`${figures.delivered - figures.acknowledged} deliveries not acknowledged`);
  if (figures.refused > 0) reasons.push(`${figures.refused} publications refused`);
  if (figures.achievedRate < 0.95 * targetRate)
    reasons.push(`accepted ${figures.achievedRate.toFixed(1)}/s of ${targetRate}/s asked`);
  if (figures.lastArrivalAfterEndMs > keepUpGraceMs)
    reasons.push(
      `last delivery ${(figures.lastArrivalAfterEndMs / 1_000).toFixed(1)} s after publishing ended (backlog)`,
    );
  return { lost: Math.max(0, lost), passed: reasons.length === 0, reasons };
}
