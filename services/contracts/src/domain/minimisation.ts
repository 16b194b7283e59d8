import type {
  AgeBand,
  AlertEvent,
  AlertEventType,
  CaseCategory,
  OrganisationRole,
  ResolutionOutcome,
  RiskFlags,
  Urgency,
} from '../generated/avro-types';

/**
 * Which fields of an alert each recipient receives (docs/ROUTING.md, "Minimisation"),
 * following the sensitivity classes of docs/SCHEMAS.md: public, restricted, personal,
 * special. A recipient gets the least that lets it do its part: a hotline of the case
 * country must identify the child, a hotline of a transit country only needs to spot it,
 * a mediator needs the family's case, not the search. Pure: the router decides the level,
 * this decides what the level shows.
 */

/**
 * How much of an alert a recipient sees, least first. Each level shows everything the
 * levels before it show, so "the highest level" of a recipient with several reasons is
 * well defined and a view never holds a field of a higher level.
 *
 * - `NOTICE`: public fields only (reached by a subscription beyond its coverage);
 * - `SPOT`: + restricted fields and what spotting the child takes (given names,
 *   descriptions, photo reference; transit countries);
 * - `MEDIATE`: + family names, date of birth, age, sex, nationalities, circumstances
 *   (family mediation), but not where exactly the child was last seen;
 * - `IDENTIFY`: + the last-seen place and coordinates: every personal field;
 * - `IDENTIFY_SPECIAL`: + special-category data where the case calls for it
 *   (`medicalNotes` when `riskFactors.medicalNeeds`, `migrationStatus` for a
 *   MISSING_MIGRANT_MINOR).
 */
export const VIEW_LEVELS = ['NOTICE', 'SPOT', 'MEDIATE', 'IDENTIFY', 'IDENTIFY_SPECIAL'] as const;
export type ViewLevel = (typeof VIEW_LEVELS)[number];

/** The position of `level` in VIEW_LEVELS: a higher rank shows more. */
export const viewLevelRank = (level: ViewLevel): number => VIEW_LEVELS.indexOf(level);

/** True when `a` shows more than `b`. */
export const moreThan = (a: ViewLevel, b: ViewLevel): boolean =>
  viewLevelRank(a) > viewLevelRank(b);

/** The level that shows the most of `levels`; NOTICE when there are none. */
export function highestViewLevel(levels: readonly ViewLevel[]): ViewLevel {
  return levels.reduce<ViewLevel>((best, l) => (moreThan(l, best) ? l : best), 'NOTICE');
}

/** True for the strings that name a level (a level read back from a record). */
export const isViewLevel = (value: string): value is ViewLevel =>
  (VIEW_LEVELS as readonly string[]).includes(value);

/** What a routing rule gives, and to which roles ('any': whatever the roles). */
interface Grant {
  readonly level: ViewLevel;
  readonly roles: readonly OrganisationRole[] | 'any';
}

/**
 * The level each routing rule gives (docs/ROUTING.md, "Levels"). A rule gives its level
 * only to the role it is about: `hotline-of-*` to a HOTLINE, `ngo-of-*` to a MEMBER_NGO,
 * so a record whose roles changed cannot carry a level over to a role that has no use
 * for it. Why each level:
 * - the case, last-seen and destination countries search for the child and may find it:
 *   they must identify it and know its medical needs and migration status;
 * - nationality countries (missing migrant minors) identify the child for family tracing,
 *   but are not told its migration status: an asylum application must not reach the
 *   authorities of the country of origin (EU asylum procedures: confidentiality of the
 *   application), and the child is not expected there, so neither are medical notes;
 * - transit countries on the known route only need to spot the child;
 * - mediators need the family's case, not the search;
 * - a subscription beyond one's coverage gives notice only; an earlier recipient keeps
 *   its earlier level through the router, so `earlier-recipient` itself gives nothing more;
 * - the originator owns the case and already holds all of it.
 */
const GRANTS = {
  'hotline-of-case-country': { level: 'IDENTIFY_SPECIAL', roles: ['HOTLINE'] },
  'hotline-of-last-seen-country': { level: 'IDENTIFY_SPECIAL', roles: ['HOTLINE'] },
  'hotline-of-destination': { level: 'IDENTIFY_SPECIAL', roles: ['HOTLINE'] },
  'hotline-of-nationality': { level: 'IDENTIFY', roles: ['HOTLINE'] },
  'hotline-of-route': { level: 'SPOT', roles: ['HOTLINE'] },
  'ngo-of-case-country': { level: 'IDENTIFY_SPECIAL', roles: ['MEMBER_NGO'] },
  'ngo-of-last-seen-country': { level: 'IDENTIFY_SPECIAL', roles: ['MEMBER_NGO'] },
  'ngo-of-destination': { level: 'IDENTIFY_SPECIAL', roles: ['MEMBER_NGO'] },
  'ngo-of-nationality': { level: 'IDENTIFY', roles: ['MEMBER_NGO'] },
  'ngo-of-route': { level: 'SPOT', roles: ['MEMBER_NGO'] },
  'mediator-parental-abduction': { level: 'MEDIATE', roles: ['MEDIATOR'] },
  'earlier-recipient': { level: 'NOTICE', roles: 'any' },
  'sighting-for-originator': { level: 'IDENTIFY_SPECIAL', roles: 'any' },
} as const satisfies Record<string, Grant>;

/** The reason codes of routing (RoutingReason.rule); `subscription:<id>` names the subscription. */
export type RoutingRule = keyof typeof GRANTS | `subscription:${string}`;

const grantOf = (rule: string): Grant | undefined =>
  Object.prototype.hasOwnProperty.call(GRANTS, rule)
    ? (GRANTS as Record<string, Grant>)[rule]
    : undefined;

const allows = (grant: Grant, roles: readonly OrganisationRole[]): boolean =>
  grant.roles === 'any' || grant.roles.some((r) => roles.includes(r));

/**
 * The most a recipient with `roles` gets when routed for `reasonRules`: the highest level
 * any of its reasons gives its roles. Subscriptions and unknown rules give NOTICE: the
 * least, never a guess.
 */
export function viewLevelFor(
  roles: readonly OrganisationRole[],
  reasonRules: readonly string[],
): ViewLevel {
  return highestViewLevel(
    reasonRules.map((rule) => {
      const grant = grantOf(rule);
      return grant && allows(grant, roles) ? grant.level : 'NOTICE';
    }),
  );
}

/**
 * The most any rule about its roles could give an organisation with `roles`: the router
 * lets an earlier recipient keep its earlier level only up to this, so an organisation
 * that lost the role a level came from loses the level too. Rules open to any role
 * (the originator's) do not count.
 */
export function viewLevelCeiling(roles: readonly OrganisationRole[]): ViewLevel {
  return highestViewLevel(
    Object.values(GRANTS as Record<string, Grant>)
      .filter((g) => g.roles !== 'any' && allows(g, roles))
      .map((g) => g.level),
  );
}

/** A name of the child as a recipient sees it; `family` from MEDIATE on. */
export interface NameView {
  given: string;
  family?: string | null;
  script: string | null;
  lang: string | null;
}

/** The child's personal (and special) data as a recipient sees it; SPOT and above. */
export interface PersonalView {
  names: NameView[];
  descriptions: Array<{ lang: string; text: string }>;
  photoRef: string | null;
  /** YYYY-MM-DD. MEDIATE and above, as are ageYears, sex, nationalities and circumstances. */
  dateOfBirth?: string | null;
  ageYears?: number | null;
  sex?: string | null;
  nationalities?: string[];
  circumstances?: string | null;
  /** IDENTIFY and above, as are the coordinates. */
  lastSeenPlace?: string | null;
  lastSeenLatitude?: number | null;
  lastSeenLongitude?: number | null;
  /** IDENTIFY_SPECIAL, and only when riskFactors.medicalNeeds. */
  medicalNotes?: string | null;
  /** IDENTIFY_SPECIAL, and only for MISSING_MIGRANT_MINOR. */
  migrationStatus?: string | null;
}

/**
 * The alert as one recipient receives it: the `alert` of the webhook body (contract,
 * "Receiving"), ready for JSON (timestamps ISO-8601, dates YYYY-MM-DD). A member absent
 * here was withheld; a member present with null is unknown to the originator.
 */
export interface AlertView {
  /** The level this view was cut to, so a recipient knows why a field is missing. */
  level: ViewLevel;
  // Public.
  eventId: string;
  caseId: string;
  eventType: AlertEventType;
  occurredAt: string;
  publishedAt: string;
  originatingOrganisation: string;
  category: CaseCategory;
  urgency: Urgency;
  countries: {
    caseCountry: string;
    lastSeenCountry: string | null;
    suspectedDestinations: string[];
    knownRoute: string[];
    /** Restricted. */
    nationalityCountries?: string[];
  };
  sighting: null | {
    country: string;
    reportedBy: string | null;
    /** Restricted, as are place and note. */
    at?: string;
    place?: string | null;
    note?: string | null;
  };
  contact: {
    organisationId: string;
    /** Restricted, as are phone and email. */
    desk?: string | null;
    phone?: string | null;
    email?: string | null;
  };
  supersedes: string | null;
  // Restricted: SPOT and above.
  originCaseReference?: string;
  lastSeenAt?: string | null;
  riskFactors?: RiskFlags;
  childSummary?: { ageBand: AgeBand | null; languagesSpoken: string[] };
  resolution?: { outcome: ResolutionOutcome; note: string | null } | null;
  withdrawalReason?: string | null;
  // Personal and special: SPOT and above, cut further by level.
  personal?: PersonalView;
}

const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The view of `event` for a recipient at `level`. Built field by field from what the
 * level allows (never by deleting from a copy), so a field added to the schema stays out
 * of every view until someone decides its class here.
 */
export function minimiseAlert(event: AlertEvent, level: ViewLevel): AlertView {
  const atLeast = (l: ViewLevel): boolean => viewLevelRank(level) >= viewLevelRank(l);
  const { countries, sighting, contact } = event;
  const view: AlertView = {
    level,
    eventId: event.eventId,
    caseId: event.caseId,
    eventType: event.eventType,
    occurredAt: iso(event.occurredAt),
    publishedAt: iso(event.publishedAt),
    originatingOrganisation: event.originatingOrganisation,
    category: event.category,
    urgency: event.urgency,
    countries: {
      caseCountry: countries.caseCountry,
      lastSeenCountry: countries.lastSeenCountry,
      suspectedDestinations: [...countries.suspectedDestinations],
      knownRoute: [...countries.knownRoute],
    },
    sighting: sighting && { country: sighting.country, reportedBy: sighting.reportedBy },
    contact: { organisationId: contact.organisationId },
    supersedes: event.supersedes,
  };
  if (!atLeast('SPOT')) return view;

  view.countries.nationalityCountries = [...countries.nationalityCountries];
  if (view.sighting && sighting) {
    view.sighting = {
      ...view.sighting,
      at: iso(sighting.at),
      place: sighting.place,
      note: sighting.note,
    };
  }
  view.contact = {
    ...view.contact,
    desk: contact.desk,
    phone: contact.phone,
    email: contact.email,
  };
  view.originCaseReference = event.originCaseReference;
  view.lastSeenAt = event.lastSeenAt === null ? null : iso(event.lastSeenAt);
  const risk = event.riskFactors;
  view.riskFactors = {
    medicalNeeds: risk.medicalNeeds,
    exploitationRisk: risk.exploitationRisk,
    traffickingRisk: risk.traffickingRisk,
    selfHarmRisk: risk.selfHarmRisk,
  };
  view.childSummary = {
    ageBand: event.childSummary.ageBand,
    languagesSpoken: [...event.childSummary.languagesSpoken],
  };
  view.resolution = event.resolution && {
    outcome: event.resolution.outcome,
    note: event.resolution.note,
  };
  view.withdrawalReason = event.withdrawalReason;
  const personal = personalView(event, atLeast);
  if (personal) view.personal = personal;
  return view;
}

function personalView(
  event: AlertEvent,
  atLeast: (l: ViewLevel) => boolean,
): PersonalView | undefined {
  // Only a CLEAR envelope is read here. Decrypting AES_256_GCM belongs to the privacy
  // issue (a key service, and an audit record per read); ERASED holds nothing. Until
  // then the personal fields are omitted from every view, never guessed.
  const p = event.personal.encoding === 'CLEAR' ? event.personal.clear : null;
  if (!p) return undefined;
  const view: PersonalView = {
    names: p.names.map((n) =>
      atLeast('MEDIATE')
        ? { given: n.given, family: n.family, script: n.script, lang: n.lang }
        : { given: n.given, script: n.script, lang: n.lang },
    ),
    descriptions: p.descriptions.map((d) => ({ lang: d.lang, text: d.text })),
    photoRef: p.photoRef,
  };
  if (atLeast('MEDIATE')) {
    view.dateOfBirth = p.dateOfBirth === null ? null : iso(p.dateOfBirth * DAY_MS).slice(0, 10);
    view.ageYears = p.ageYears;
    view.sex = p.sex;
    view.nationalities = [...p.nationalities];
    view.circumstances = p.circumstances;
  }
  if (atLeast('IDENTIFY')) {
    view.lastSeenPlace = p.lastSeenPlace;
    view.lastSeenLatitude = p.lastSeenLatitude;
    view.lastSeenLongitude = p.lastSeenLongitude;
  }
  // Special-category data (GDPR art. 9) only where the case calls for it: medical notes
  // when the originator flagged medical needs, migration status for a migrant minor.
  if (atLeast('IDENTIFY_SPECIAL')) {
    if (event.riskFactors.medicalNeeds) view.medicalNotes = p.medicalNotes;
    if (event.category === 'MISSING_MIGRANT_MINOR') view.migrationStatus = p.migrationStatus;
  }
  return view;
}
