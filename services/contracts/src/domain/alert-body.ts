import type {
  AgeBand,
  AlertEvent,
  AlertEventType,
  CaseCategory,
  PersonalData,
  ResolutionOutcome,
  Urgency,
} from '../generated/avro-types';

/**
 * The JSON shapes member systems send (`POST /v1/alerts`, `POST /v1/alerts/{caseId}/events`)
 * and their mapping to the AlertEvent record: clear routing fields stay in the clear; the
 * child's personal and special data goes into the PersonalEnvelope (CLEAR here; the privacy
 * layer encrypts it). Pure functions: the gateway validates before calling them.
 */

/** A name of the child in one script. */
export interface NameBody {
  given: string;
  family?: string | null;
  script?: string | null;
  lang?: string | null;
}

/** The case as a member system describes it when raising or updating it. */
export interface CaseBody {
  category: Exclude<CaseCategory, 'UNKNOWN'>;
  urgency: Exclude<Urgency, 'UNKNOWN'>;
  originCaseReference: string;
  occurredAt: string;
  countries: {
    caseCountry: string;
    lastSeenCountry?: string | null;
    suspectedDestinations?: string[];
    knownRoute?: string[];
  };
  lastSeen?: {
    at?: string | null;
    place?: string | null;
    latitude?: number | null;
    longitude?: number | null;
  } | null;
  child: {
    names: NameBody[];
    dateOfBirth?: string | null;
    ageYears?: number | null;
    sex?: 'FEMALE' | 'MALE' | 'OTHER' | null;
    nationalities?: string[];
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

/** What the exchange adds to a body when it accepts it. */
export interface EventMeta {
  eventId: string;
  caseId: string;
  eventType: Exclude<AlertEventType, 'UNKNOWN'>;
  publishedAt: number;
  originatingOrganisation: string;
  sighting?: AlertEvent['sighting'];
  resolution?: { outcome: Exclude<ResolutionOutcome, 'UNKNOWN'>; note: string | null } | null;
  withdrawalReason?: string | null;
  supersedes?: string | null;
}

const DAY_MS = 86_400_000;
const millis = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The age band of a child of `ageYears`, as recipients without personal data see it. */
export function ageBandOf(ageYears: number | null | undefined): AgeBand | null {
  if (ageYears === null || ageYears === undefined) return null;
  if (ageYears < 6) return 'UNDER_6';
  if (ageYears <= 12) return 'AGE_6_12';
  if (ageYears <= 15) return 'AGE_13_15';
  if (ageYears <= 17) return 'AGE_16_17';
  return 'UNKNOWN';
}

/** Age in whole years on `at` of a child born on `dateOfBirth` (YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, at: number): number {
  const birth = new Date(`${dateOfBirth}T00:00:00.000Z`);
  const now = new Date(at);
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < birth.getUTCMonth() ||
    (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** Builds the AlertEvent of a case body. */
export function toAlertEvent(body: CaseBody, meta: EventMeta): AlertEvent {
  const { child } = body;
  const occurredAt = millis(body.occurredAt);
  const age = child.ageYears ?? (child.dateOfBirth ? ageOn(child.dateOfBirth, occurredAt) : null);
  const personal: PersonalData = {
    names: child.names.map((n) => ({
      given: n.given,
      family: n.family ?? null,
      script: n.script ?? null,
      lang: n.lang ?? null,
    })),
    dateOfBirth: child.dateOfBirth
      ? Math.round(millis(`${child.dateOfBirth}T00:00:00.000Z`) / DAY_MS)
      : null,
    ageYears: child.ageYears ?? null,
    sex: child.sex ?? null,
    nationalities: child.nationalities ?? [],
    descriptions: child.descriptions ?? [],
    photoRef: child.photoRef ?? null,
    medicalNotes: body.riskFactors?.medicalNotes ?? null,
    migrationStatus: child.migrationStatus ?? null,
    lastSeenPlace: body.lastSeen?.place ?? null,
    lastSeenLatitude: body.lastSeen?.latitude ?? null,
    lastSeenLongitude: body.lastSeen?.longitude ?? null,
    circumstances: body.circumstances ?? null,
  };
  return {
    eventId: meta.eventId,
    caseId: meta.caseId,
    eventType: meta.eventType,
    occurredAt,
    publishedAt: meta.publishedAt,
    originatingOrganisation: meta.originatingOrganisation,
    originCaseReference: body.originCaseReference,
    category: body.category,
    urgency: body.urgency,
    countries: {
      caseCountry: body.countries.caseCountry,
      lastSeenCountry: body.countries.lastSeenCountry ?? null,
      suspectedDestinations: body.countries.suspectedDestinations ?? [],
      knownRoute: body.countries.knownRoute ?? [],
      nationalityCountries: child.nationalities ?? [],
    },
    lastSeenAt: body.lastSeen?.at ? millis(body.lastSeen.at) : null,
    riskFactors: {
      medicalNeeds: body.riskFactors?.medicalNeeds ?? false,
      exploitationRisk: body.riskFactors?.exploitationRisk ?? false,
      traffickingRisk: body.riskFactors?.traffickingRisk ?? false,
      selfHarmRisk: body.riskFactors?.selfHarmRisk ?? false,
    },
    childSummary: { ageBand: ageBandOf(age), languagesSpoken: child.languagesSpoken ?? [] },
    personal: { encoding: 'CLEAR', keyId: null, iv: null, ciphertext: null, clear: personal },
    sighting: meta.sighting ?? null,
    resolution: meta.resolution ?? null,
    withdrawalReason: meta.withdrawalReason ?? null,
    contact: {
      organisationId: meta.originatingOrganisation,
      desk: body.contact?.desk ?? null,
      phone: body.contact?.phone ?? null,
      email: body.contact?.email ?? null,
    },
    supersedes: meta.supersedes ?? null,
  };
}

/** What is left of a case's personal data once erased: nothing (docs/PRIVACY.md). */
const NOTHING_PERSONAL: PersonalData = {
  names: [],
  dateOfBirth: null,
  ageYears: null,
  sex: null,
  nationalities: [],
  descriptions: [],
  photoRef: null,
  medicalNotes: null,
  migrationStatus: null,
  lastSeenPlace: null,
  lastSeenLatitude: null,
  lastSeenLongitude: null,
  circumstances: null,
};

/**
 * The case body an AlertEvent describes, in canonical form (every optional member present,
 * null or empty when unknown): the inverse of `toAlertEvent` for a clear envelope. Of an
 * erased case (ERASED envelope) only what is not personal: names, descriptions and the
 * rest of the personal class empty.
 */
export function toCaseBody(event: AlertEvent): CaseBody {
  const p = event.personal.encoding === 'ERASED' ? NOTHING_PERSONAL : event.personal.clear;
  if (!p)
    throw new Error(
      `event ${event.eventId} carries no clear personal data (${event.personal.encoding})`,
    );
  return {
    category: event.category as CaseBody['category'],
    urgency: event.urgency as CaseBody['urgency'],
    originCaseReference: event.originCaseReference,
    occurredAt: iso(event.occurredAt),
    countries: {
      caseCountry: event.countries.caseCountry,
      lastSeenCountry: event.countries.lastSeenCountry,
      suspectedDestinations: event.countries.suspectedDestinations,
      knownRoute: event.countries.knownRoute,
    },
    lastSeen: {
      at: event.lastSeenAt === null ? null : iso(event.lastSeenAt),
      place: p.lastSeenPlace,
      latitude: p.lastSeenLatitude,
      longitude: p.lastSeenLongitude,
    },
    child: {
      names: p.names.map((n) => ({
        given: n.given,
        family: n.family,
        script: n.script,
        lang: n.lang,
      })),
      dateOfBirth: p.dateOfBirth === null ? null : iso(p.dateOfBirth * DAY_MS).slice(0, 10),
      ageYears: p.ageYears,
      sex: p.sex as CaseBody['child']['sex'],
      nationalities: p.nationalities,
      languagesSpoken: event.childSummary.languagesSpoken,
      descriptions: p.descriptions,
      photoRef: p.photoRef,
      migrationStatus: p.migrationStatus,
    },
    riskFactors: { ...event.riskFactors, medicalNotes: p.medicalNotes },
    circumstances: p.circumstances,
    contact: { desk: event.contact.desk, phone: event.contact.phone, email: event.contact.email },
  };
}

/** The body of `POST /v1/alerts/{caseId}/events`: an update carries the whole case. */
export type EventBody =
  | ({ type: 'UPDATED' } & CaseBody)
  | {
      type: 'SIGHTING_REPORTED';
      occurredAt: string;
      sighting: { at: string; country: string; place: string | null; note: string | null };
    }
  | {
      type: 'RESOLVED';
      occurredAt: string;
      resolution: { outcome: Exclude<ResolutionOutcome, 'UNKNOWN'>; note: string | null };
    }
  | { type: 'WITHDRAWN'; occurredAt: string; reason: string | null };

/**
 * The AlertEvent of an event body on a case whose current state is `current` (the
 * gateway reads it): an update replaces the case; other events keep it and add their part.
 * `meta.originatingOrganisation` stays the organisation that raised the case;
 * `meta.actor` is the organisation sending this event (a sighting's reporter).
 */
export function toEventOnCase(
  body: EventBody,
  current: CaseBody,
  meta: Omit<EventMeta, 'eventType'> & { actor?: string },
): AlertEvent {
  switch (body.type) {
    case 'UPDATED': {
      const { type: _type, ...next } = body;
      const { actor: _actor, ...rest } = meta;
      return toAlertEvent(next, { ...rest, eventType: 'UPDATED' });
    }
    case 'SIGHTING_REPORTED':
      return toAlertEvent(
        { ...current, occurredAt: body.occurredAt },
        {
          ...meta,
          eventType: 'SIGHTING_REPORTED',
          sighting: {
            ...body.sighting,
            at: millis(body.sighting.at),
            reportedBy: meta.actor ?? meta.originatingOrganisation,
          },
        },
      );
    case 'RESOLVED':
      return toAlertEvent(
        { ...current, occurredAt: body.occurredAt },
        { ...meta, eventType: 'RESOLVED', resolution: body.resolution },
      );
    case 'WITHDRAWN':
      return toAlertEvent(
        { ...current, occurredAt: body.occurredAt },
        { ...meta, eventType: 'WITHDRAWN', withdrawalReason: body.reason },
      );
  }
}

/** The event body an AlertEvent of type UPDATED, SIGHTING_REPORTED, RESOLVED or WITHDRAWN came from. */
export function toEventBody(event: AlertEvent): EventBody {
  const occurredAt = iso(event.occurredAt);
  switch (event.eventType) {
    case 'UPDATED':
      return { type: 'UPDATED', ...toCaseBody(event) };
    case 'SIGHTING_REPORTED': {
      const s = event.sighting;
      if (!s) throw new Error(`sighting event ${event.eventId} has no sighting`);
      return {
        type: 'SIGHTING_REPORTED',
        occurredAt,
        sighting: { at: iso(s.at), country: s.country, place: s.place, note: s.note },
      };
    }
    case 'RESOLVED': {
      const r = event.resolution;
      if (!r) throw new Error(`resolution event ${event.eventId} has no resolution`);
      return {
        type: 'RESOLVED',
        occurredAt,
        resolution: { outcome: r.outcome as Exclude<ResolutionOutcome, 'UNKNOWN'>, note: r.note },
      };
    }
    case 'WITHDRAWN':
      return { type: 'WITHDRAWN', occurredAt, reason: event.withdrawalReason };
    default:
      throw new Error(`event ${event.eventId} of type ${event.eventType} has no event body`);
  }
}
