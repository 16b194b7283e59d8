import {
  minimiseAlert,
  toCaseBody,
  viewLevelRank,
  type AlertEvent,
  type AlertView,
  type CaseBody,
  type ViewLevel,
} from '@alert-exchange/contracts';

/**
 * The current state of a case, folded from its events in log order. Every event carries
 * the whole case as of that event (an update replaces it, other events copy it), so the
 * latest event is the case; sightings accumulate; RESOLVED and WITHDRAWN close it.
 * Pure: the case store reads the events, this decides what they mean.
 */
export interface CaseState {
  readonly caseId: string;
  /** The organisation that raised the case. */
  readonly originator: string;
  /** The Kafka topic of the case (`alerts.<cc>` of the country it was raised in). */
  readonly topic: string;
  readonly status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN';
  readonly raisedAt: number;
  readonly updatedAt: number;
  readonly lastEventId: string;
  readonly eventCount: number;
  /** Every event of the case, once each, in log order. */
  readonly eventIds: readonly string[];
  /** The latest event: the case as it stands. */
  readonly latest: AlertEvent;
  readonly sightings: ReadonlyArray<{ eventId: string; publishedAt: number } & Sighting>;
  readonly resolvedBy: { eventId: string; at: number } | null;
  readonly withdrawnBy: { eventId: string; at: number } | null;
}

type Sighting = NonNullable<AlertEvent['sighting']>;

/** The topic an event of a case raised in `caseCountry` goes to. */
export const alertTopicOf = (caseCountry: string): string => `alerts.${caseCountry.toLowerCase()}`;

/**
 * Folds the events of one case, oldest first. Events before the RAISED event (which
 * cannot happen through the gateway) are ignored; no RAISED event means no case. A second
 * record of an eventId (a producer retry, a publication retried after Redis lost its
 * Idempotency-Key record) is the same event and counts once.
 */
export function foldCase(events: readonly AlertEvent[]): CaseState | undefined {
  let state: CaseState | undefined;
  for (const event of events) {
    if (state?.eventIds.includes(event.eventId)) continue;
    if (!state) {
      if (event.eventType !== 'RAISED') continue;
      state = {
        caseId: event.caseId,
        originator: event.originatingOrganisation,
        topic: alertTopicOf(event.countries.caseCountry),
        status: 'OPEN',
        raisedAt: event.publishedAt,
        updatedAt: event.publishedAt,
        lastEventId: event.eventId,
        eventCount: 1,
        eventIds: [event.eventId],
        latest: event,
        sightings: [],
        resolvedBy: null,
        withdrawnBy: null,
      };
      continue;
    }
    state = {
      ...state,
      updatedAt: event.publishedAt,
      lastEventId: event.eventId,
      eventCount: state.eventCount + 1,
      eventIds: [...state.eventIds, event.eventId],
      latest: event,
      status:
        event.eventType === 'RESOLVED'
          ? 'RESOLVED'
          : event.eventType === 'WITHDRAWN'
            ? 'WITHDRAWN'
            : state.status,
      sightings:
        event.eventType === 'SIGHTING_REPORTED' && event.sighting
          ? [
              ...state.sightings,
              { eventId: event.eventId, publishedAt: event.publishedAt, ...event.sighting },
            ]
          : state.sightings,
      resolvedBy:
        event.eventType === 'RESOLVED'
          ? { eventId: event.eventId, at: event.publishedAt }
          : state.resolvedBy,
      withdrawnBy:
        event.eventType === 'WITHDRAWN'
          ? { eventId: event.eventId, at: event.publishedAt }
          : state.withdrawnBy,
    };
  }
  return state;
}

/** Who is asking about a case: an organisation and its roles. */
export interface CaseCaller {
  readonly organisationId: string;
  readonly roles: readonly string[];
}

/**
 * How much of a case `caller` may see: `full` for its originator and operators; `none`
 * for everyone else, who are answered 404 so that a case id reveals nothing. Recipients
 * (`routed`) are known once the router records whom it routed a case to.
 */
export type CaseAccess = 'full' | 'routed' | 'none';

export function caseAccess(
  state: CaseState,
  caller: CaseCaller,
  routedTo: ReadonlySet<string> = new Set(),
): CaseAccess {
  if (caller.roles.includes('operator') || caller.organisationId === state.originator)
    return 'full';
  return routedTo.has(caller.organisationId) ? 'routed' : 'none';
}

/** Why an event may not be added to a case: a 404, a 403 or a 409 at the edge. */
export type EventRefusal =
  | { kind: 'not-found' }
  | { kind: 'forbidden'; detail: string }
  | { kind: 'conflict'; detail: string };

/**
 * Decides whether `caller` may add an event of `type` to the case (contract: only the
 * originator or an operator may update, resolve or withdraw; any recipient may report a
 * sighting; nothing is added to a closed case). `undefined` means allowed.
 */
export function refuseEvent(
  state: CaseState | undefined,
  caller: CaseCaller,
  type: 'UPDATED' | 'SIGHTING_REPORTED' | 'RESOLVED' | 'WITHDRAWN',
  routedTo: ReadonlySet<string> = new Set(),
): EventRefusal | undefined {
  if (!state) return { kind: 'not-found' };
  const access = caseAccess(state, caller, routedTo);
  if (access === 'none') return { kind: 'not-found' };
  if (state.status !== 'OPEN') {
    return { kind: 'conflict', detail: `The case is ${state.status.toLowerCase()}` };
  }
  if (type !== 'SIGHTING_REPORTED' && access !== 'full') {
    return {
      kind: 'forbidden',
      detail: `Only the organisation that raised the case or an operator may send ${type}`,
    };
  }
  return undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `GET /v1/alerts/{caseId}` for a caller with full access. */
export interface CaseView {
  caseId: string;
  status: CaseState['status'];
  originatingOrganisation: string;
  raisedAt: string;
  updatedAt: string;
  lastEventId: string;
  eventCount: number;
  /** The case was erased (docs/PRIVACY.md): `case` holds nothing personal any more. */
  personalDataErased: boolean;
  case: CaseBody;
  sightings: Array<{
    eventId: string;
    at: string;
    country: string;
    place: string | null;
    note: string | null;
    reportedBy: string | null;
    reportedAt: string;
  }>;
  resolution: { eventId: string; at: string; outcome: string; note: string | null } | null;
  withdrawal: { eventId: string; at: string; reason: string | null } | null;
}

/** The full view of a case, as its originator and operators see it. */
export function fullCaseView(state: CaseState): CaseView {
  const { latest } = state;
  return {
    caseId: state.caseId,
    status: state.status,
    originatingOrganisation: state.originator,
    raisedAt: iso(state.raisedAt),
    updatedAt: iso(state.updatedAt),
    lastEventId: state.lastEventId,
    eventCount: state.eventCount,
    personalDataErased: latest.personal.encoding === 'ERASED',
    case: toCaseBody(latest),
    sightings: state.sightings.map((s) => ({
      eventId: s.eventId,
      at: iso(s.at),
      country: s.country,
      place: s.place,
      note: s.note,
      reportedBy: s.reportedBy,
      reportedAt: iso(s.publishedAt),
    })),
    resolution:
      state.resolvedBy && latest.resolution
        ? {
            ...state.resolvedBy,
            at: iso(state.resolvedBy.at),
            outcome: latest.resolution.outcome,
            note: latest.resolution.note,
          }
        : null,
    withdrawal: state.withdrawnBy
      ? { ...state.withdrawnBy, at: iso(state.withdrawnBy.at), reason: latest.withdrawalReason }
      : null,
  };
}

/**
 * `GET /v1/alerts/{caseId}` for a recipient: the latest event cut to the level the router
 * gave the recipient (docs/ROUTING.md), the sightings and the closing event. A sighting's
 * country and reporter are public; its time, place and note, and the resolution, are
 * restricted (SPOT and above).
 */
export interface RoutedCaseView {
  caseId: string;
  status: CaseState['status'];
  raisedAt: string;
  updatedAt: string;
  lastEventId: string;
  eventCount: number;
  viewLevel: ViewLevel;
  alert: AlertView;
  sightings: Array<{
    eventId: string;
    country: string;
    reportedBy: string | null;
    reportedAt: string;
    at?: string;
    place?: string | null;
    note?: string | null;
  }>;
  closedAt: string | null;
}

export function routedCaseView(state: CaseState, level: ViewLevel): RoutedCaseView {
  const restricted = viewLevelRank(level) >= viewLevelRank('SPOT');
  const closed = state.resolvedBy ?? state.withdrawnBy;
  return {
    caseId: state.caseId,
    status: state.status,
    raisedAt: iso(state.raisedAt),
    updatedAt: iso(state.updatedAt),
    lastEventId: state.lastEventId,
    eventCount: state.eventCount,
    viewLevel: level,
    alert: minimiseAlert(state.latest, level),
    sightings: state.sightings.map((s) => ({
      eventId: s.eventId,
      country: s.country,
      reportedBy: s.reportedBy,
      reportedAt: iso(s.publishedAt),
      ...(restricted ? { at: iso(s.at), place: s.place, note: s.note } : {}),
    })),
    closedAt: closed ? iso(closed.at) : null,
  };
}
