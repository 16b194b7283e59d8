/**
 * What each lifecycle record tells the audit trail (issue 7; ../shared/CONTRACT.md,
 * Audit): the facts an auditor reads — who, when, why, which state — and never the
 * child's data. Pure: the edge reads the records, this says which facts they make, and
 * the appender chains them. Each fact names its source (`detail.source`: topic, partition,
 * offset and its place among the record's facts), so a record read twice (a restart, a
 * rebalance) makes the same facts, and the appender keeps each once.
 */
import type {
  Acknowledgement,
  AlertEvent,
  AuditKind,
  CaseErasure,
  DeliveryStatus,
  PersonalDataRead,
  RoutingRecord,
} from '@alert-exchange/contracts';

type RoutedRecipient = RoutingRecord['recipients'][number];
import type { AuditFact } from './chain';

/** Where a record was read: the fact's identity. */
export interface SourcePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

const sourceOf = (s: SourcePosition, n: number): string =>
  `${s.topic}/${s.partition}/${s.offset}#${n}`;

const EVENT_KINDS: Readonly<Record<string, AuditKind>> = {
  RESOLVED: 'RESOLVED',
  WITHDRAWN: 'WITHDRAWN',
};

/**
 * A published alert event makes two facts by its originating organisation. RECEIVED, at
 * `publishedAt` (the moment the publisher stamped on the event, for the gateway when it
 * accepted the request), then PUBLISHED, RESOLVED or WITHDRAWN (by event type) at
 * `writtenAt`, the Kafka timestamp of the record, when it was written to the case's
 * country topic. Only the envelope: type, category, urgency and the case country; names,
 * descriptions, sightings and contacts stay out.
 */
export function factsOfAlertEvent(
  event: AlertEvent,
  source: SourcePosition,
  traceId: string | null,
  writtenAt: number,
): AuditFact[] {
  const envelope = {
    eventType: event.eventType,
    category: event.category,
    urgency: event.urgency,
    caseCountry: event.countries.caseCountry,
  };
  const fact = (n: number, kind: AuditKind, at: number): AuditFact => ({
    at,
    kind,
    actor: event.originatingOrganisation,
    caseId: event.caseId,
    recipient: null,
    deliveryId: null,
    eventId: event.eventId,
    detail: { source: sourceOf(source, n), ...envelope },
    traceId,
  });
  return [
    fact(0, 'RECEIVED', event.publishedAt),
    fact(1, EVENT_KINDS[event.eventType] ?? 'PUBLISHED', Math.max(writtenAt, event.publishedAt)),
  ];
}

/**
 * A routing record: ROUTED once per recipient, with the view level and every reason. An
 * event routed to nobody makes one ROUTED fact without a recipient (`recipients: 0`): the
 * trail shows it was routed, and to whom, even when that is no one.
 */
export function factsOfRoutingRecord(
  record: RoutingRecord,
  source: SourcePosition,
  traceId: string | null,
): AuditFact[] {
  const fact = (n: number, detail: Record<string, string>, r?: RoutedRecipient): AuditFact => ({
    at: record.routedAt,
    kind: 'ROUTED',
    actor: 'router',
    caseId: record.caseId,
    recipient: r?.recipientId ?? null,
    deliveryId: r?.deliveryId ?? null,
    eventId: record.eventId,
    detail: { source: sourceOf(source, n), eventType: record.eventType, ...detail },
    traceId,
  });
  if (record.recipients.length === 0) return [fact(0, { recipients: '0' })];
  return record.recipients.map((r, n) =>
    fact(
      n,
      {
        viewLevel: r.viewLevel,
        reasons: r.reasons.map((x) => `${x.rule}: ${x.detail}`).join('; '),
      },
      r,
    ),
  );
}

const STATUS_KINDS: Readonly<Record<string, AuditKind>> = {
  FAILED_RETRYING: 'ATTEMPTED',
  ENDPOINT_DISABLED: 'ATTEMPTED',
  DELIVERED: 'DELIVERED',
  DEAD_LETTERED: 'DEAD_LETTERED',
  ESCALATED: 'ESCALATED',
  ESCALATION_CLOSED: 'ESCALATED',
  REPLAYED: 'REPLAYED',
};

/**
 * A delivery-status record: every attempt (ATTEMPTED with its HTTP status, latency and
 * error; DELIVERED for the one that succeeded), DEAD_LETTERED, ESCALATED (with its
 * reason; a closing is ESCALATED with `closed`), REPLAYED (by whom). Other states make
 * no fact.
 */
export function factsOfDeliveryStatus(
  status: DeliveryStatus,
  source: SourcePosition,
  traceId: string | null = null,
): AuditFact[] {
  const kind = STATUS_KINDS[status.state];
  if (!kind) return [];
  const detail: Record<string, string> = {
    source: sourceOf(source, 0),
    state: status.state,
    attempt: String(status.attempt),
  };
  if (status.httpStatus !== null) detail.httpStatus = String(status.httpStatus);
  if (status.latencyMs !== null) detail.latencyMs = String(status.latencyMs);
  if (status.errorKind !== null)
    detail[status.state === 'ESCALATED' ? 'reason' : 'error'] = status.errorKind;
  if (status.nextAttemptAt !== null)
    detail.nextAttemptAt = new Date(status.nextAttemptAt).toISOString();
  if (status.state === 'ESCALATION_CLOSED') detail.closed = 'true';
  return [
    {
      at: status.at,
      kind,
      actor: status.actor ?? 'dispatcher',
      caseId: status.caseId,
      recipient: status.recipientId,
      deliveryId: status.deliveryId,
      eventId: null,
      detail,
      traceId,
    },
  ];
}

/** An acknowledgement: ACKNOWLEDGED by the recipient, with its status. The note is restricted: left out. */
export function factsOfAcknowledgement(
  ack: Acknowledgement,
  source: SourcePosition,
  traceId: string | null = null,
): AuditFact[] {
  return [
    {
      at: ack.at,
      kind: 'ACKNOWLEDGED',
      actor: ack.recipientId,
      caseId: ack.caseId,
      recipient: ack.recipientId,
      deliveryId: ack.deliveryId,
      eventId: null,
      detail: { source: sourceOf(source, 0), status: ack.status },
      traceId,
    },
  ];
}

/**
 * A read of a case's personal data through the gateway: PERSONAL_DATA_READ by the reader,
 * with the route (`via`) and view level, and the delivery when it was shown as one. The
 * data itself never reaches the audit: only that it was shown, to whom, and when.
 */
export function factsOfPersonalDataRead(
  read: PersonalDataRead,
  source: SourcePosition,
): AuditFact[] {
  return [
    {
      at: read.at,
      kind: 'PERSONAL_DATA_READ',
      actor: read.reader,
      caseId: read.caseId,
      recipient: read.reader,
      deliveryId: read.deliveryId,
      eventId: read.eventId,
      detail: { source: sourceOf(source, 0), via: read.via, viewLevel: read.viewLevel },
      traceId: read.traceId,
    },
  ];
}

/**
 * The erasure of a case's personal data (its data keys destroyed): ERASED by whoever
 * asked (an operator, or the router for the retention), with the reason, how many keys
 * and, for the retention, when the case was closed. The fact's identity is the erasure's
 * id, not its offset: the retention's erasure of a case, written again after a crash, is
 * one fact; each operator's request is one of its own.
 */
export function factsOfErasure(erasure: CaseErasure, source: SourcePosition): AuditFact[] {
  const detail: Record<string, string> = {
    source: `${source.topic}/${erasure.erasureId}#0`,
    reason: erasure.reason,
    keysDestroyed: String(erasure.keyIds.length),
  };
  if (erasure.closedAt !== null) detail.closedAt = new Date(erasure.closedAt).toISOString();
  return [
    {
      at: erasure.at,
      kind: 'ERASED',
      actor: erasure.requestedBy,
      caseId: erasure.caseId,
      recipient: null,
      deliveryId: null,
      eventId: null,
      detail,
      traceId: null,
    },
  ];
}
