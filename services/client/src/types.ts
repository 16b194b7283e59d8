/**
 * The request and response bodies of the exchange's public API (../shared/CONTRACT.md; the
 * gateway's `GET /openapi.json` is their detailed form). Written out here, not imported,
 * so that the package needs nothing of the exchange at run time; `types.test.ts` checks
 * their members against the gateway's OpenAPI document.
 */

/** Case categories (contract: Publishing alerts). */
export type Category =
  | 'RUNAWAY'
  | 'PARENTAL_ABDUCTION'
  | 'MISSING_MIGRANT_MINOR'
  | 'THIRD_PARTY_ABDUCTION'
  | 'LOST_INJURED_OTHER';

/** How soon recipients must act. */
export type Urgency = 'IMMEDIATE' | 'EXPECTED' | 'FUTURE';

/** The events of a case. */
export type EventType = 'RAISED' | 'UPDATED' | 'SIGHTING_REPORTED' | 'RESOLVED' | 'WITHDRAWN';

/** The event types of a delivery: a case's events, and operators' notices. */
export type DeliveryEventType = EventType | 'ESCALATION' | 'ESCALATION_CLOSED';

/** An ISO 3166-1 alpha-2 country code, upper case (`DE`). */
export type Country = string;

/** A name of the child, in the script it is written in. */
export interface ChildName {
  given: string;
  family?: string | null;
  /** ISO 15924 (`Latn`, `Cyrl`). */
  script?: string | null;
  /** BCP 47. */
  lang?: string | null;
}

/** The case as a member system describes it: the body of `POST /v1/alerts` (`CaseInput`). */
export interface CaseInput {
  category: Category;
  urgency: Urgency;
  /** The case's reference in the publisher's own system. */
  originCaseReference: string;
  /** ISO-8601 date-time with a time zone; not in the future. */
  occurredAt: string;
  countries: {
    caseCountry: Country;
    lastSeenCountry?: Country | null;
    suspectedDestinations?: Country[];
    knownRoute?: Country[];
  };
  lastSeen?: {
    at?: string | null;
    place?: string | null;
    latitude?: number | null;
    longitude?: number | null;
  } | null;
  child: {
    names: ChildName[];
    dateOfBirth?: string | null;
    ageYears?: number | null;
    sex?: 'FEMALE' | 'MALE' | 'OTHER' | null;
    nationalities?: Country[];
    languagesSpoken?: string[];
    descriptions?: Array<{ lang: string; text: string }>;
    photoRef?: string | null;
    migrationStatus?: string | null;
  };
  riskFactors?: {
    medicalNeeds?: boolean;
    exploitationRisk?: boolean;
    traffickingRisk?: boolean;
    selfHarmRisk?: boolean;
    medicalNotes?: string | null;
  };
  circumstances?: string | null;
  contact?: { desk?: string | null; phone?: string | null; email?: string | null };
}

/** The outcomes of a resolved case. */
export type Outcome = 'FOUND_SAFE' | 'FOUND_HARMED' | 'FOUND_DECEASED' | 'RETURNED' | 'OTHER';

/** The body of `POST /v1/alerts/{caseId}/events` (`EventInput`). */
export type EventInput =
  | ({ type: 'UPDATED' } & CaseInput)
  | {
      type: 'SIGHTING_REPORTED';
      occurredAt: string;
      sighting: { at: string; country: Country; place?: string | null; note?: string | null };
    }
  | {
      type: 'RESOLVED';
      occurredAt: string;
      resolution: { outcome: Outcome; note?: string | null };
    }
  | { type: 'WITHDRAWN'; occurredAt: string; reason?: string | null };

/** The answer to a publication (202, `Accepted`): Kafka holds the event. */
export interface Accepted {
  caseId: string;
  eventId: string;
  /** W3C trace id that follows the alert through the exchange. */
  traceId: string;
}

/** The level a recipient sees a case at (docs/ROUTING.md). */
export type ViewLevel = 'NOTICE' | 'SPOT' | 'MEDIATE' | 'IDENTIFY' | 'IDENTIFY_SPECIAL';

/** A sighting as the case view shows it. */
export interface Sighting {
  eventId: string;
  country: Country;
  reportedBy: string | null;
  reportedAt: string;
  at?: string;
  place?: string | null;
  note?: string | null;
}

/** The whole case, as its originator and operators see it (`CaseView`). */
export interface CaseView {
  caseId: string;
  status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN';
  originatingOrganisation: string;
  raisedAt: string;
  updatedAt: string;
  lastEventId: string;
  eventCount: number;
  /** The case's personal data was erased: the personal fields of `case` are empty. */
  personalDataErased: boolean;
  case: CaseInput;
  sightings: Sighting[];
  resolution: { eventId: string; at: string; outcome: Outcome; note: string | null } | null;
  withdrawal: { eventId: string; at: string; reason: string | null } | null;
}

/** A case as one of its recipients sees it, minimised to its view level (`RoutedCaseView`). */
export interface RoutedCaseView {
  caseId: string;
  status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN';
  raisedAt: string;
  updatedAt: string;
  lastEventId: string;
  eventCount: number;
  viewLevel: ViewLevel;
  /** The minimised alert; a member absent was withheld. */
  alert: Record<string, unknown>;
  sightings: Sighting[];
  closedAt: string | null;
}

/** What `GET /v1/alerts/{caseId}` answers: the whole case or the routed view. */
export type CaseRead = CaseView | RoutedCaseView;

/** Why a recipient was told (`routing.reasons`). */
export interface RoutingReason {
  rule: string;
  detail: string;
}

/**
 * A delivery, as pushed to a webhook and as the inbox returns it (`WebhookBody`). The
 * same deliveryId may come more than once: de-duplicate on it.
 */
export interface Delivery {
  deliveryId: string;
  caseId: string;
  eventId: string;
  eventType: DeliveryEventType;
  category: Category;
  urgency: Urgency;
  /** The alert minimised for the recipient; null in operators' notices. */
  alert: Record<string, unknown> | null;
  routing: { reasons: RoutingReason[] };
  /** Acknowledge before this (ISO-8601), or operators are told. */
  ackBy: string;
}

/** One page of the inbox (`InboxPage`). */
export interface InboxPage {
  deliveries: Delivery[];
  /** Pass as `after` next time; null when none was sent and the inbox is empty. */
  next: string | null;
}

/** A delivery read from the inbox stream, with its cursor (the SSE event id). */
export interface StreamedDelivery {
  /** Where the stream is: pass as `after` to resume from here later. */
  cursor: string;
  delivery: Delivery;
}

/** Acknowledgement statuses. */
export type AckStatus = 'RECEIVED' | 'ACTIONED';

/** The body of `POST /v1/deliveries/{deliveryId}/ack` (`AckInput`). */
export interface AckInput {
  status: AckStatus;
  /** Restricted: never logged by the exchange. At most 2 000 characters. */
  note?: string;
}

/** The acknowledgement as recorded (`Ack`). */
export interface Ack {
  ackId: string;
  deliveryId: string;
  status: AckStatus;
  note?: string;
  at: string;
}

/** A delivery the dispatcher gave up on (`DeadLetter`). */
export interface DeadLetter {
  deliveryId: string;
  caseId: string;
  recipientId: string;
  eventType: string;
  deadLetteredAt: string;
  attempts: number;
  lastError: string;
}

/** Which dead letters to send again (`ReplayInput`): each member given narrows it. */
export interface ReplaySelection {
  deliveryId?: string;
  recipientId?: string;
  /** ISO-8601 date-time. */
  since?: string;
}

/** The answer to a replay request (`ReplayAccepted`). */
export interface ReplayAccepted {
  requestId: string;
  deliveryIds: string[];
}

/** The kinds of fact in the audit trail. */
export type TrailKind =
  | 'RECEIVED'
  | 'PUBLISHED'
  | 'ROUTED'
  | 'ATTEMPTED'
  | 'DELIVERED'
  | 'ACKNOWLEDGED'
  | 'ESCALATED'
  | 'DEAD_LETTERED'
  | 'REPLAYED'
  | 'RESOLVED'
  | 'WITHDRAWN'
  | 'PERSONAL_DATA_READ'
  | 'ERASED';

/** One fact of the audit trail (`TrailEntry`): no personal data of the child. */
export interface TrailEntry {
  seq: number;
  at: string;
  kind: TrailKind;
  actor: string;
  recipient?: string | null;
  deliveryId?: string | null;
  eventId?: string | null;
  caseId?: string | null;
  detail: Record<string, string>;
  traceId?: string | null;
  hash: string;
  prevHash: string;
}

/** A case's audit trail, in order (`CaseTrail`). */
export interface CaseTrail {
  caseId: string;
  entries: TrailEntry[];
}

/** A delivery not acknowledged yet (`UnacknowledgedDelivery`). */
export interface UnacknowledgedDelivery {
  deliveryId: string;
  recipient?: string | null;
  caseId?: string | null;
  routedAt: string;
  /** The latest fact about it. */
  state: string;
}

/** A signed checkpoint of the audit trail (`Checkpoint`, Ed25519). */
export interface Checkpoint {
  treeSize: number;
  rootHash: string;
  /** Milliseconds since the Unix epoch; signed. */
  timestamp: number;
  /** Standard base64. */
  signature: string;
  /** Raw 32-byte Ed25519 key, standard base64. */
  publicKey: string;
}

/** Roles of an organisation. */
export type Role = 'member-ngo' | 'hotline' | 'mediator' | 'operator' | 'auditor';

/** An organisation of the directory (`Organisation`). */
export interface Organisation {
  id: string;
  name: string;
  country: Country;
  roles: Role[];
  coverage: { countries: Country[]; categories: Category[] };
  languages?: string[];
  delivery: { mode: 'webhook'; url: string } | { mode: 'pull' };
  /** ISO-8601 duration, e.g. PT15M. */
  ackWithin: string;
  updatedAt?: string;
}

/** An RFC 9457 problem, as every error of the exchange is (`Problem`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** For validation errors: each bad field, as a JSON Pointer. */
  errors?: Array<{ path: string; message: string }>;
}
