// Generated from schemas/*.avsc by `node services/contracts/dist/cli.js types`. Do not edit.

/** A recipient's confirmation that it received or acted on a delivery. */
export interface Acknowledgement {
  /** Id of this acknowledgement. */
  ackId: string;
  /** The acknowledged delivery. */
  deliveryId: string;
  /** The case; the key of the acknowledgements topic. */
  caseId: string;
  /** The acknowledging organisation (always the delivery's recipient). */
  recipientId: string;
  /** RECEIVED or ACTIONED. */
  status: AckStatus;
  /** The recipient's note. Restricted. */
  note: null | string;
  /** When the exchange recorded the acknowledgement. */
  at: number;
}

/** What the recipient confirms. */
export type AckStatus = 'RECEIVED' | 'ACTIONED' | 'UNKNOWN';

/** One event in the life of a missing-child case, published to alerts.<cc> keyed by caseId. Routing fields are in the clear; the child's personal data travels in `personal`, encrypted outside tests. */
export interface AlertEvent {
  /** Unique id of this event; stable across retries (idempotency). */
  eventId: string;
  /** Id of the case; the Kafka key, so a case's events stay in order. */
  caseId: string;
  /** What happened. Public. */
  eventType: AlertEventType;
  /** When it happened, per the originating organisation. Public. */
  occurredAt: number;
  /** When the exchange accepted the event. Public. */
  publishedAt: number;
  /** Directory id of the organisation that raised the case. Public. */
  originatingOrganisation: string;
  /** The case reference in the originating organisation's own system. Restricted. */
  originCaseReference: string;
  /** Category of the case. Public. */
  category: CaseCategory;
  /** Urgency of the case. Public. */
  urgency: Urgency;
  /** Countries involved in the case. */
  countries: InvolvedCountries;
  /** When the child was last seen. Restricted. */
  lastSeenAt: null | number;
  /** Risk factors. */
  riskFactors: RiskFlags;
  /** Non-identifying summary of the child. */
  childSummary: ChildSummary;
  /** The child's personal data, in its envelope. */
  personal: PersonalEnvelope;
  /** The sighting, for SIGHTING_REPORTED. */
  sighting: null | Sighting;
  /** The resolution, for RESOLVED. */
  resolution: null | Resolution;
  /** Why the case was withdrawn (WITHDRAWN). Restricted. */
  withdrawalReason: null | string;
  /** Who to call about this case. */
  contact: ContactPoint;
  /** eventId of the event this one updates, for UPDATED. */
  supersedes: null | string;
}

/** What happened to the case. Readers map a symbol they do not know to UNKNOWN. */
export type AlertEventType = 'RAISED' | 'UPDATED' | 'SIGHTING_REPORTED' | 'RESOLVED' | 'WITHDRAWN' | 'UNKNOWN';

/** The category of the case (contract: Case categories). */
export type CaseCategory = 'RUNAWAY' | 'PARENTAL_ABDUCTION' | 'MISSING_MIGRANT_MINOR' | 'THIRD_PARTY_ABDUCTION' | 'LOST_INJURED_OTHER' | 'UNKNOWN';

/** How soon recipients must act. */
export type Urgency = 'IMMEDIATE' | 'EXPECTED' | 'FUTURE' | 'UNKNOWN';

/** The countries routing uses, ISO 3166-1 alpha-2 upper case. */
export interface InvolvedCountries {
  /** Country where the case is handled. Public. */
  caseCountry: string;
  /** Country where the child was last seen. Public. */
  lastSeenCountry: null | string;
  /** Countries the child may be heading to or taken to. Public. */
  suspectedDestinations: Array<string>;
  /** Countries on the known route, in order. Public. */
  knownRoute: Array<string>;
  /** Countries of nationality, used to route missing migrant minors. Restricted. */
  nationalityCountries: Array<string>;
}

/** Risk flags in the clear, for routing and urgency; details are in personal data. */
export interface RiskFlags {
  /** The child needs medication or care. Restricted. */
  medicalNeeds: boolean;
  /** Risk of sexual or labour exploitation. Restricted. */
  exploitationRisk: boolean;
  /** Risk of trafficking. Restricted. */
  traffickingRisk: boolean;
  /** Risk of self-harm. Restricted. */
  selfHarmRisk: boolean;
}

/** What a recipient may see of the child without personal data. */
export interface ChildSummary {
  /** Age band. Restricted. */
  ageBand: null | AgeBand;
  /** Languages the child speaks, BCP 47; tells a hotline whom to send. Restricted. */
  languagesSpoken: Array<string>;
}

/** Age band of the child. */
export type AgeBand = 'UNDER_6' | 'AGE_6_12' | 'AGE_13_15' | 'AGE_16_17' | 'UNKNOWN';

/** Carries PersonalData either in the clear (tests, local runs) or encrypted with the case's data key (AES-256-GCM), or records that it was erased. */
export interface PersonalEnvelope {
  /** How `clear` or `ciphertext` is to be read. */
  encoding: EnvelopeEncoding;
  /** Id of the case's data key, for AES_256_GCM. */
  keyId: null | string;
  /** The 96-bit nonce, for AES_256_GCM. */
  iv: null | Buffer;
  /** PersonalData in Avro binary, encrypted and authenticated, for AES_256_GCM. */
  ciphertext: null | Buffer;
  /** PersonalData in the clear, for CLEAR. */
  clear: null | PersonalData;
}

/** How the personal data is carried. */
export type EnvelopeEncoding = 'CLEAR' | 'AES_256_GCM' | 'ERASED' | 'UNKNOWN';

/** The child's personal and special-category data. Travels only inside a PersonalEnvelope, encrypted with the case's data key outside tests; never routed on, logged or shown to auditors. */
export interface PersonalData {
  /** The child's names, possibly in several scripts. Personal. */
  names: Array<PersonName>;
  /** Date of birth, days since 1970-01-01. Personal. */
  dateOfBirth: null | number;
  /** Age in years when date of birth is unknown. Personal. */
  ageYears: null | number;
  /** Sex as reported (FEMALE, MALE, OTHER). Personal. */
  sex: null | string;
  /** Nationalities, ISO 3166-1 alpha-2 upper case. Personal. */
  nationalities: Array<string>;
  /** Physical description in one or more languages. Personal. */
  descriptions: Array<LocalizedText>;
  /** Reference to a photo held by the originating organisation, never the photo itself. Personal. */
  photoRef: null | string;
  /** Medical needs in words (medication, condition). Special category. */
  medicalNotes: null | string;
  /** Migration or asylum status. Special category. */
  migrationStatus: null | string;
  /** Where the child was last seen, as precise as known. Personal. */
  lastSeenPlace: null | string;
  /** Latitude of the last-seen place, WGS 84. Personal. */
  lastSeenLatitude: null | number;
  /** Longitude of the last-seen place, WGS 84. Personal. */
  lastSeenLongitude: null | number;
  /** Free text on the circumstances of the disappearance. Personal. */
  circumstances: null | string;
}

/** One name of the child, in one script. */
export interface PersonName {
  /** Given name(s), as written in the script. Personal. */
  given: string;
  /** Family name(s). Personal. */
  family: null | string;
  /** ISO 15924 script code of this spelling, e.g. Grek, Cyrl, Arab, Latn. */
  script: null | string;
  /** BCP 47 language of this spelling. */
  lang: null | string;
}

/** A text in one language. */
export interface LocalizedText {
  /** BCP 47 language tag. */
  lang: string;
  /** The text. */
  text: string;
}

/** A reported sighting of the child (SIGHTING_REPORTED). */
export interface Sighting {
  /** When the child was seen. Restricted. */
  at: number;
  /** Country of the sighting, ISO 3166-1 alpha-2. Public. */
  country: string;
  /** Where, as precise as known. Restricted. */
  place: null | string;
  /** What was seen. Restricted. */
  note: null | string;
  /** Directory id of the reporting organisation. Public. */
  reportedBy: null | string;
}

/** How a case ended (RESOLVED). */
export interface Resolution {
  /** The outcome. Restricted. */
  outcome: ResolutionOutcome;
  /** Details. Restricted. */
  note: null | string;
}

/** How the case ended. */
export type ResolutionOutcome = 'FOUND_SAFE' | 'FOUND_HARMED' | 'FOUND_DECEASED' | 'RETURNED' | 'OTHER' | 'UNKNOWN';

/** The originating organisation's desk for this case, not the family. */
export interface ContactPoint {
  /** Directory id of the organisation. Public. */
  organisationId: string;
  /** Name of the desk or case worker role. Restricted. */
  desk: null | string;
  /** Phone number of the desk, E.164. Restricted. */
  phone: null | string;
  /** E-mail of the desk. Restricted. */
  email: null | string;
}

/** An API key of an organisation, keyed by keyId in the compacted topic directory.api-keys. Only a SHA-256 digest of the secret is kept; the key itself is shown once. */
export interface ApiKey {
  /** Public part of the key (16 hex characters), used to find it. */
  keyId: string;
  /** Directory id of the organisation the key authenticates. */
  organisationId: string;
  /** SHA-256 digest of the secret part of the key. */
  secretHash: Buffer;
  /** When the key was issued. */
  createdAt: number;
  /** When the key was revoked; null while it is active. */
  revokedAt: null | number;
}

/** A signed checkpoint of the audit trail: the RFC 9162 root of its first treeSize records, signed with Ed25519 (docs/AUDIT.md). Kept forever, beside the trail. */
export interface AuditCheckpoint {
  /** How many records, from seq 0, the root covers. */
  treeSize: number;
  /** The Merkle root, 64 lower-case hex digits. */
  rootHash: string;
  /** When the checkpoint was made; part of the signed message. */
  timestamp: number;
  /** Ed25519 signature of the checkpoint message, standard base64. */
  signature: string;
  /** The raw 32-byte Ed25519 public key that verifies it, standard base64. */
  publicKey: string;
}

/** One fact of the audit trail; hash-chained and a Merkle leaf. Never carries personal data. */
export interface AuditRecord {
  /** Position in the trail, from 0, gap-free. */
  seq: number;
  /** When the fact happened. */
  at: number;
  /** The kind of fact. */
  kind: AuditKind;
  /** Directory id of the organisation or the service that caused the fact. */
  actor: string;
  /** The case, when the fact concerns one. */
  caseId: null | string;
  /** The recipient, for delivery facts. */
  recipient: null | string;
  /** The delivery, for delivery facts. */
  deliveryId: null | string;
  /** The event, for event facts. */
  eventId: null | string;
  /** Reasons, states and counts; never personal data. */
  detail: Record<string, string>;
  /** W3C trace id linking the fact to its trace. */
  traceId: null | string;
  /** Hash of the previous record (32 zero bytes for seq 0). */
  prevHash: Buffer;
  /** SHA-256 of this record's canonical encoding and prevHash. */
  hash: Buffer;
}

/** The kind of fact. */
export type AuditKind = 'RECEIVED' | 'PUBLISHED' | 'ROUTED' | 'ATTEMPTED' | 'DELIVERED' | 'ACKNOWLEDGED' | 'ESCALATED' | 'DEAD_LETTERED' | 'REPLAYED' | 'RESOLVED' | 'WITHDRAWN' | 'PERSONAL_DATA_READ' | 'ERASED' | 'UNKNOWN';

/** The data key of one case's personal data, sealed with a master key (AES-256-GCM), keyed by caseId in the compacted topic privacy.case-keys. A tombstone destroys it: the erasure of the case's personal data (docs/PRIVACY.md). No personal data. */
export interface CaseDataKey {
  /** The case; the Kafka key. */
  caseId: string;
  /** Id of the data key, named by every PersonalEnvelope sealed with it. */
  keyId: string;
  /** Id of the master key that sealed the data key. */
  masterKeyId: string;
  /** The 96-bit nonce of the sealed data key. */
  iv: Buffer;
  /** The 32-byte data key sealed with the master key, its 16-byte tag last. */
  wrappedKey: Buffer;
  /** When the key was made (the case's first event with personal data). */
  createdAt: number;
  /** When the case was resolved or withdrawn; null while it is open. */
  closedAt: null | number;
  /** When the key is to be destroyed: closedAt plus the retention; null while the case is open. */
  eraseAt: null | number;
}

/** The erasure of one case's personal data: its data keys destroyed (tombstones in privacy.case-keys), after the retention that follows its closing or at once by an operator. Written acks=all to privacy.erasures (keyed by caseId) before the keys are destroyed, for the audit trail's ERASED facts; the router's eraser destroys the keys of every erasure it reads, so one written before a crash is still carried out. No personal data. */
export interface CaseErasure {
  /** Id of this erasure: retention:<caseId> for the erasure the retention schedules (written again after a crash, it is one fact), a fresh UUID for each operator's request (each is an act of its own). */
  erasureId: string;
  /** The case erased; the Kafka key. */
  caseId: string;
  /** When the erasure was decided, just before the keys are destroyed. */
  at: number;
  /** RETENTION: the case was closed (RESOLVED or WITHDRAWN) and its retention passed. OPERATOR: an operator erased it at once. */
  reason: ErasureReason;
  /** Directory id of the operator who asked (exchange-operator for the bootstrap operator), or router for the retention. */
  requestedBy: string;
  /** When the case was closed, when it was (always, for RETENTION). */
  closedAt: null | number;
  /** The data keys destroyed (their ids, never the keys): empty when the case had none left. */
  keyIds: Array<string>;
}

/** Why the case was erased. */
export type ErasureReason = 'RETENTION' | 'OPERATOR' | 'UNKNOWN';

/** An operator's request to send dead-lettered deliveries again, written by the gateway and carried out by the dispatcher. */
export interface DeliveryReplay {
  /** Id of this request. */
  requestId: string;
  /** The dead-lettered deliveries to send again. */
  deliveryIds: Array<string>;
  /** Directory id of the operator organisation (or the bootstrap operator). */
  requestedBy: string;
  /** When the gateway accepted the request. */
  at: number;
}

/** A state change of a delivery: each attempt and its outcome, escalations and replays. Keyed by deliveryId and written to the partition of the delivery's own record in the deliveries topic, so the owner of a deliveries partition finds its deliveries' states in the same partition here. */
export interface DeliveryStatus {
  /** The delivery. */
  deliveryId: string;
  /** The case. */
  caseId: string;
  /** The recipient. */
  recipientId: string;
  /** Attempt number, 1 for the first. */
  attempt: number;
  /** The new state. ESCALATED: not acknowledged by ackBy, or dead-lettered, and told to the operators; ESCALATION_CLOSED: acknowledged after that; REPLAYED: an operator sent a dead-lettered delivery again. */
  state: DeliveryState;
  /** When the state was reached. */
  at: number;
  /** HTTP status the recipient answered, for webhook attempts. */
  httpStatus: null | number;
  /** Why the attempt failed, for FAILED_RETRYING and DEAD_LETTERED: status=503, timeout, network-error: ..., refused: .... Never personal data. */
  errorKind: null | string;
  /** When the next attempt is due, for FAILED_RETRYING. */
  nextAttemptAt: null | number;
  /** Duration of the attempt in milliseconds. */
  latencyMs: null | number;
  /** Who caused the change when it was not the dispatcher itself: the operator who replayed a dead letter. */
  actor: null | string;
}

/** State of a delivery. */
export type DeliveryState = 'PENDING' | 'ATTEMPTED' | 'DELIVERED' | 'FAILED_RETRYING' | 'DEAD_LETTERED' | 'ENDPOINT_DISABLED' | 'ESCALATED' | 'ESCALATION_CLOSED' | 'REPLAYED' | 'UNKNOWN';

/** One event to deliver to one recipient, written by the router in the same transaction as the consumed offset. */
export interface Delivery {
  /** Deterministic id from (eventId, recipientId); the webhook-id and the de-duplication key. */
  deliveryId: string;
  /** The routed event. */
  eventId: string;
  /** The case. */
  caseId: string;
  /** Directory id of the recipient; the key of the deliveries topic, so one recipient's deliveries stay in one partition, in order (the pull inbox's cursor is an offset of it). */
  recipientId: string;
  /** The recipient's roles when routed, which decide its view of the alert. */
  recipientRoles: Array<OrganisationRole>;
  /** Webhook push or pull inbox. */
  mode: DeliveryMode;
  /** The event's type (AlertEventType symbol), for the recipient's envelope. */
  eventType: string;
  /** The case category (CaseCategory symbol). */
  category: string;
  /** The case urgency (Urgency symbol). */
  urgency: string;
  /** Why this recipient was chosen. */
  reasons: Array<RoutingReason>;
  /** When the router decided. */
  routedAt: number;
  /** When an unacknowledged delivery is escalated (routedAt + the recipient's ackWithin). */
  ackBy: number;
  /** Order of the event within its case, so that a recipient receives a case's events in order. */
  sequence: number;
  /** How much of the alert the recipient may see (docs/ROUTING.md, minimisation: a ViewLevel). Null in deliveries written before it existed. */
  viewLevel: null | string;
  /** The alert minimised for this recipient, as the JSON the contract's webhook body carries in `alert`. Holds personal data at IDENTIFY levels: the deliveries topic is as sensitive as the alert topics. */
  alert: null | string;
}

/** A role of an organisation in the federation. */
export type OrganisationRole = 'MEMBER_NGO' | 'HOTLINE' | 'MEDIATOR' | 'OPERATOR' | 'AUDITOR' | 'UNKNOWN';

/** How an organisation receives deliveries. */
export type DeliveryMode = 'WEBHOOK' | 'PULL' | 'UNKNOWN';

/** Why a recipient was chosen. */
export interface RoutingReason {
  /** The routing rule that matched, e.g. hotline-of-involved-country. */
  rule: string;
  /** The facts that matched, e.g. country=DE. Never personal data. */
  detail: string;
}

/** A delivery that needs a person at the federation: not acknowledged in time, dead-lettered or unreachable. */
export interface Escalation {
  /** Deterministic id from (deliveryId, reason). */
  escalationId: string;
  /** The escalated delivery. */
  deliveryId: string;
  /** The case; the key of the escalations topic. */
  caseId: string;
  /** The recipient that did not confirm. */
  recipientId: string;
  /** Why. */
  reason: EscalationReason;
  /** The deadline that passed. */
  ackBy: number;
  /** When the escalation was raised. */
  escalatedAt: number;
  /** Directory ids of the operators notified. */
  notified: Array<string>;
}

/** Why a delivery was escalated. */
export type EscalationReason = 'NOT_ACKNOWLEDGED' | 'DEAD_LETTERED' | 'ENDPOINT_DISABLED' | 'UNKNOWN';

/** A directory record, keyed by organisation id in the compacted directory topic; a tombstone deletes it. Secrets and key hashes are not here. */
export interface Organisation {
  /** Stable id, [a-z0-9-]{3,64}. */
  id: string;
  /** Display name. */
  name: string;
  /** Home country, ISO 3166-1 alpha-2 upper case. */
  country: string;
  /** Roles in the federation. */
  roles: Array<OrganisationRole>;
  /** Coverage. */
  coverage: Coverage;
  /** Working languages, BCP 47. */
  languages: Array<string>;
  /** Delivery settings. */
  delivery: DeliverySettings;
  /** How long a delivery may stay unacknowledged before escalation, in milliseconds. */
  ackWithinMs: number;
  /** Subscriptions. */
  subscriptions: Array<Subscription>;
  /** False once the organisation is suspended. */
  active: boolean;
  /** When this record was written. */
  updatedAt: number;
}

/** What an organisation covers, for routing. */
export interface Coverage {
  /** Countries covered, ISO 3166-1 alpha-2 upper case. */
  countries: Array<string>;
  /** Case categories covered (CaseCategory symbols); empty means all. */
  categories: Array<string>;
}

/** How the organisation receives deliveries. */
export interface DeliverySettings {
  /** Webhook or pull. */
  mode: DeliveryMode;
  /** The webhook URL, for WEBHOOK. */
  url: null | string;
}

/** Alerts an organisation asked for beyond its coverage; an empty list matches all. */
export interface Subscription {
  /** Subscription id. */
  id: string;
  /** Countries, ISO 3166-1 alpha-2 upper case. */
  countries: Array<string>;
  /** CaseCategory symbols. */
  categories: Array<string>;
  /** Urgency symbols. */
  urgencies: Array<string>;
  /** AlertEventType symbols. */
  eventTypes: Array<string>;
}

/** One time an organisation was shown a case through the gateway, written acks=all to personal-data-reads (keyed by caseId) before the case is sent, for the audit trail's PERSONAL_DATA_READ facts. Says who saw which case, how and at what level; never the data shown. */
export interface PersonalDataRead {
  /** Id of this read: a fresh one per read, since each read is a fact of its own (a repeated request is a second read). */
  readId: string;
  /** When the gateway showed the case. */
  at: number;
  /** Directory id of the organisation shown the case (exchange-operator for the bootstrap operator). */
  reader: string;
  /** The case shown; the key of the personal-data-reads topic. */
  caseId: string;
  /** The delivery the case was shown as (pull inbox and its stream); null for a case read. */
  deliveryId: null | string;
  /** The event the view was built from: the delivery's event, or the latest event of a case read. */
  eventId: null | string;
  /** How much of the case was shown: a ViewLevel (docs/ROUTING.md, minimisation) as in Delivery and RoutedCase, or FULL for the whole case its originator and operators see. */
  viewLevel: string;
  /** CASE_VIEW (GET /v1/alerts/{caseId}), INBOX (GET /v1/inbox) or INBOX_STREAM (GET /v1/inbox/stream). */
  via: PersonalDataReadVia;
  /** W3C trace id of the request (the caller's traceparent continued, or a trace started by the gateway). */
  traceId: null | string;
}

/** The gateway route that showed the case. */
export type PersonalDataReadVia = 'CASE_VIEW' | 'INBOX' | 'INBOX_STREAM' | 'UNKNOWN';

/** What the router remembers of a case, in the compacted topic router.case-state keyed by caseId and written in the same transaction as the routing it reflects. No personal data. */
export interface RoutedCase {
  /** The case. */
  caseId: string;
  /** Directory id of the organisation that raised the case. */
  originator: string;
  /** Everyone who received an earlier event. */
  recipients: Array<PastRecipient>;
  /** Every country the case has involved so far. */
  countries: Array<string>;
  /** How many events of the case were routed. */
  sequence: number;
  /** True once RESOLVED or WITHDRAWN was routed. */
  closed: boolean;
  /** The last event ids routed, so that a second copy of an event is not routed again. */
  recentEventIds: Array<string>;
}

/** An organisation that received an event of the case. */
export interface PastRecipient {
  /** Its directory id. */
  organisationId: string;
  /** The level it was last given. */
  viewLevel: string;
}

/** The router's decision for one alert event: who was told and why, written in the same transaction as the deliveries and the consumed offset. Keyed by caseId. No personal data. */
export interface RoutingRecord {
  /** The routed event. */
  eventId: string;
  /** The case; the key of the routing-records topic. */
  caseId: string;
  /** The event's type (AlertEventType symbol). */
  eventType: string;
  /** The case category (CaseCategory symbol). */
  category: string;
  /** The case urgency (Urgency symbol). */
  urgency: string;
  /** Directory id of the organisation that raised the case. */
  originatingOrganisation: string;
  /** The countries the event involves, ISO 3166-1 alpha-2. */
  involvedCountries: Array<string>;
  /** Order of the event within its case (1 for RAISED). */
  sequence: number;
  /** When the router decided. */
  routedAt: number;
  /** Where the event was read, so auditors can find it. */
  source: SourcePosition;
  /** Who was told, sorted by recipientId. */
  recipients: Array<RoutedRecipient>;
}

/** Where the routed event was read. */
export interface SourcePosition {
  /** The alert topic, alerts.<cc>. */
  topic: string;
  /** Its partition. */
  partition: number;
  /** The event's offset. */
  offset: number;
}

/** One recipient of the event. */
export interface RoutedRecipient {
  /** Directory id of the recipient. */
  recipientId: string;
  /** The delivery written for it. */
  deliveryId: string;
  /** How much of the alert it may see (docs/ROUTING.md). */
  viewLevel: string;
  /** Why it was chosen. */
  reasons: Array<RoutingReason>;
}

/** The webhook signing secrets of one organisation, keyed by organisation id in the compacted topic directory.webhook-secrets; a tombstone deletes them. The dispatcher signs each delivery with the newest active secret (Standard Webhooks), so the values are kept in clear: the topic must be readable only by the gateway and the dispatcher (see docs/SCHEMAS.md). */
export interface WebhookSecrets {
  /** Directory id of the organisation the secrets sign for; the record's key. */
  organisationId: string;
  /** Active secrets, and the most recently revoked ones without their values. */
  secrets: Array<WebhookSecret>;
  /** When this record was written. */
  updatedAt: number;
}

/** One signing secret; at most two are active at once (rotation). */
export interface WebhookSecret {
  /** Public id of the secret (16 hex characters), used to revoke it. */
  secretId: string;
  /** The secret in clear: whsec_ followed by the base64 of 32 random bytes (the HMAC-SHA256 key). Empty once revoked. */
  secret: string;
  /** When the secret was issued; the newest active secret signs. */
  createdAt: number;
  /** When the secret was revoked; null while it is active. */
  revokedAt: null | number;
}
