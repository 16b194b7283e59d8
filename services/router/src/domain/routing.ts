import {
  highestViewLevel,
  viewLevelCeiling,
  viewLevelFor,
  type AlertEvent,
  type Organisation,
  type OrganisationRole,
  type RoutingReason,
  type RoutingRule,
  type Subscription,
  type ViewLevel,
} from '@alert-exchange/contracts';

/**
 * Who must hear of an alert event, and why (docs/ROUTING.md). Pure: the router reads the
 * event, the case it remembers and the directory, and writes what this decides.
 */

/** What the router remembers of a case (it keeps this in a compacted Kafka topic; this module only defines and folds it). No personal data. */
export interface RoutedCase {
  caseId: string;
  /** originatingOrganisation of the RAISED event. */
  originator: string;
  /** Everyone who received an earlier event, and the level they were last given. */
  recipients: Record<string, ViewLevel>;
  /** Every country the case has involved so far (union, in order of appearance). */
  countries: string[];
  /** How many events of the case were routed. */
  sequence: number;
  /** True once RESOLVED or WITHDRAWN was routed. */
  closed: boolean;
  /** The last RECENT_EVENT_IDS event ids routed, to drop a second copy of an event. */
  recentEventIds: string[];
}

/** One organisation to deliver the event to. */
export interface Recipient {
  organisationId: string;
  roles: OrganisationRole[];
  mode: 'WEBHOOK' | 'PULL' | 'UNKNOWN';
  ackWithinMs: number;
  /** Every reason it was chosen, in rule order (docs/ROUTING.md). */
  reasons: RoutingReason[];
  /** How much of the alert it sees (minimiseAlert). */
  level: ViewLevel;
  deliveryId: string;
}

export type RoutingOutcome =
  | { kind: 'routed'; recipients: Recipient[]; next: RoutedCase; sequence: number }
  /** The eventId was already routed for this case: nothing to write. */
  | { kind: 'duplicate' }
  /** A poison event, to dead-letter with `reason`. */
  | { kind: 'refused'; reason: string };

/** How many event ids a RoutedCase remembers for de-duplication. */
export const RECENT_EVENT_IDS = 20;

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Why the event's countries matter, in rule order: each entry is the countries in one
 * part of the case and the rule a hotline or a member NGO serving one of them is
 * routed by. Nationality counts only for missing migrant minors: for other children it
 * says nothing about where they may be.
 */
type CountryParts = Array<[countries: string[], hotline: RoutingRule, ngo: RoutingRule]>;
function countryParts(event: AlertEvent): CountryParts {
  const c = event.countries;
  return [
    [[c.caseCountry], 'hotline-of-case-country', 'ngo-of-case-country'],
    [
      c.lastSeenCountry ? [c.lastSeenCountry] : [],
      'hotline-of-last-seen-country',
      'ngo-of-last-seen-country',
    ],
    [unique(c.suspectedDestinations), 'hotline-of-destination', 'ngo-of-destination'],
    [
      event.category === 'MISSING_MIGRANT_MINOR' ? unique(c.nationalityCountries) : [],
      'hotline-of-nationality',
      'ngo-of-nationality',
    ],
    [unique(c.knownRoute), 'hotline-of-route', 'ngo-of-route'],
  ];
}

/**
 * The countries an event involves: the case country, the last-seen country, the
 * suspected destinations, for a missing migrant minor the countries of nationality, and
 * the known route. Without duplicates, in that order.
 */
export function involvedCountries(event: AlertEvent): string[] {
  return unique(countryParts(event).flatMap(([countries]) => countries));
}

/** Coverage categories: an empty list covers every category. */
const coversCategory = (org: Organisation, category: string): boolean =>
  org.coverage.categories.length === 0 || org.coverage.categories.includes(category);

/** A subscription filter: an empty list matches everything. */
const matches = (filter: readonly string[], value: string): boolean =>
  filter.length === 0 || filter.includes(value);

function subscriptionReason(
  sub: Subscription,
  event: AlertEvent,
  involved: readonly string[],
): RoutingReason | undefined {
  const countries = involved.filter((c) => sub.countries.includes(c));
  if (sub.countries.length > 0 && countries.length === 0) return undefined;
  if (!matches(sub.categories, event.category)) return undefined;
  if (!matches(sub.urgencies, event.urgency)) return undefined;
  if (!matches(sub.eventTypes, event.eventType)) return undefined;
  const rule: RoutingRule = `subscription:${sub.id}`;
  return { rule, detail: `countries=${sub.countries.length ? countries.join(',') : 'all'}` };
}

/** The reasons the rules give `org` for `event`, before exclusions (docs/ROUTING.md, "Rules"). */
function ruleReasons(
  org: Organisation,
  event: AlertEvent,
  parts: CountryParts,
  involved: readonly string[],
): RoutingReason[] {
  const reasons: RoutingReason[] = [];
  const add = (rule: RoutingRule, detail: string): void => void reasons.push({ rule, detail });
  const has = (role: OrganisationRole): boolean => org.roles.includes(role);
  const covers = (country: string): boolean => org.coverage.countries.includes(country);
  for (const [countries, hotlineRule, ngoRule] of parts) {
    for (const country of countries) {
      // 116 000 is a national number: a hotline always answers for its home country.
      if (has('HOTLINE') && (org.country === country || covers(country)))
        add(hotlineRule, `country=${country}`);
      if (has('MEMBER_NGO') && covers(country) && coversCategory(org, event.category))
        add(ngoRule, `country=${country}`);
    }
  }
  if (
    event.category === 'PARENTAL_ABDUCTION' &&
    has('MEDIATOR') &&
    coversCategory(org, event.category)
  ) {
    const { caseCountry, lastSeenCountry, suspectedDestinations } = event.countries;
    if (covers(caseCountry)) add('mediator-parental-abduction', `left-behind=${caseCountry}`);
    const destinations = unique([
      ...suspectedDestinations,
      ...(lastSeenCountry && lastSeenCountry !== caseCountry ? [lastSeenCountry] : []),
    ]).filter((c) => c !== caseCountry);
    for (const country of destinations.filter(covers))
      add('mediator-parental-abduction', `destination=${country}`);
  }
  for (const sub of org.subscriptions) {
    const reason = subscriptionReason(sub, event, involved);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Why an event cannot be routed against `previous`, or undefined when it can. */
function refusalOf(event: AlertEvent, previous: RoutedCase | undefined): string | undefined {
  const { eventType, caseId } = event;
  if (eventType === 'UNKNOWN')
    return `event type UNKNOWN (written with a newer schema): the router cannot tell who must receive it`;
  if (previous && previous.caseId !== caseId)
    return `event of case ${caseId} was given the routed state of case ${previous.caseId}`;
  if (eventType === 'RAISED')
    return previous ? `RAISED for case ${caseId}, which was already raised` : undefined;
  if (!previous) return `${eventType} for case ${caseId}, which was never raised`;
  if (previous.closed) return `${eventType} for case ${caseId}, which is closed`;
  if (eventType === 'SIGHTING_REPORTED' && !event.sighting)
    return `SIGHTING_REPORTED for case ${caseId} carries no sighting`;
  return undefined;
}

const lower = (a: ViewLevel, b: ViewLevel): ViewLevel => (highestViewLevel([a, b]) === a ? b : a);

/**
 * Routes one event of a case: who receives it, why, at which level, and the case as the
 * router remembers it afterwards. `previous` is the case before this event (undefined
 * for a RAISED event); `idOf` gives the delivery id of (eventId, recipientId), kept
 * outside so that this stays free of hashing I/O and deterministic.
 */
export function routeEvent(
  event: AlertEvent,
  previous: RoutedCase | undefined,
  directory: readonly Organisation[],
  idOf: (eventId: string, recipientId: string) => string,
): RoutingOutcome {
  // A second copy of an event (a producer retry, a replay) is dropped before anything
  // else, so that a duplicate of the closing event is not refused as poison.
  if (previous?.recentEventIds.includes(event.eventId)) return { kind: 'duplicate' };
  const refusal = refusalOf(event, previous);
  if (refusal) return { kind: 'refused', reason: refusal };

  const originator = previous?.originator ?? event.originatingOrganisation;
  const reporter = event.eventType === 'SIGHTING_REPORTED' ? event.sighting?.reportedBy : null;
  const organisations = new Map(directory.map((o) => [o.id, o]));
  const reasons = new Map<string, RoutingReason[]>();
  const add = (id: string, found: RoutingReason[]): void => {
    if (found.length > 0) reasons.set(id, [...(reasons.get(id) ?? []), ...found]);
  };

  const parts = countryParts(event);
  const involved = unique(parts.flatMap(([countries]) => countries));
  for (const org of organisations.values()) add(org.id, ruleReasons(org, event, parts, involved));
  for (const [id, level] of Object.entries(previous?.recipients ?? {}))
    add(id, [{ rule: 'earlier-recipient', detail: `level=${level}` }]);
  // The originator is never routed its own case, and the reporter of a sighting not its
  // own sighting; the originator hears of a sighting someone else reported.
  reasons.delete(originator);
  if (reporter) reasons.delete(reporter);
  if (event.eventType === 'SIGHTING_REPORTED' && reporter !== originator)
    add(originator, [
      { rule: 'sighting-for-originator', detail: `reportedBy=${reporter ?? 'unknown'}` },
    ]);

  const recipients: Recipient[] = [];
  const nextRecipients: Record<string, ViewLevel> = { ...previous?.recipients };
  for (const [id, why] of [...reasons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const org = organisations.get(id);
    // A suspended or deleted organisation receives nothing; an earlier recipient keeps
    // its place in the case, so it hears of the next event if it is reinstated.
    if (!org || !org.active) continue;
    // An earlier recipient keeps its earlier level, as far as its roles still allow.
    const earlier = previous?.recipients[id];
    const kept = earlier ? lower(earlier, viewLevelCeiling(org.roles)) : 'NOTICE';
    const level = highestViewLevel([
      viewLevelFor(
        org.roles,
        why.map((r) => r.rule),
      ),
      kept,
    ]);
    recipients.push({
      organisationId: id,
      roles: [...org.roles],
      mode: org.delivery.mode,
      ackWithinMs: org.ackWithinMs,
      reasons: why,
      level,
      deliveryId: idOf(event.eventId, id),
    });
    // The originator is told of a sighting as the owner of the case, not as a recipient:
    // it does not join the recipients of later events.
    if (id !== originator) nextRecipients[id] = level;
  }

  const sequence = (previous?.sequence ?? 0) + 1;
  const next: RoutedCase = {
    caseId: event.caseId,
    originator,
    recipients: nextRecipients,
    countries: unique([...(previous?.countries ?? []), ...involved]),
    sequence,
    closed: event.eventType === 'RESOLVED' || event.eventType === 'WITHDRAWN',
    recentEventIds: [...(previous?.recentEventIds ?? []), event.eventId].slice(-RECENT_EVENT_IDS),
  };
  return { kind: 'routed', recipients, next, sequence };
}
