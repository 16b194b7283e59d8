import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  toAlertEvent,
  toEventOnCase,
  type AlertEvent,
  type CaseBody,
  type EventBody,
  type Organisation,
  type OrganisationRole,
  type Subscription,
} from '@alert-exchange/contracts';
import {
  involvedCountries,
  RECENT_EVENT_IDS,
  routeEvent,
  type RoutedCase,
  type RoutingOutcome,
} from './routing';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'schemas', 'examples');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;

// The fixture directory: real country codes, fictional organisations.
const sub = (id: string, filters: Partial<Subscription>): Subscription => ({
  id,
  countries: [],
  categories: [],
  urgencies: [],
  eventTypes: [],
  ...filters,
});
const org = (
  id: string,
  country: string,
  roles: OrganisationRole[],
  coverage: string[] = [country],
  more: Partial<Organisation> & { categories?: string[] } = {},
): Organisation => {
  const { categories = [], ...rest } = more;
  return {
    id,
    name: id,
    country,
    roles,
    coverage: { countries: coverage, categories },
    languages: ['en'],
    delivery: { mode: 'PULL', url: null },
    ackWithinMs: 900_000,
    subscriptions: [],
    active: true,
    updatedAt: 0,
    ...rest,
  };
};
const DIRECTORY: readonly Organisation[] = [
  org('hotline-de', 'DE', ['HOTLINE']),
  org('hotline-at', 'AT', ['HOTLINE']),
  org('hotline-at-old', 'AT', ['HOTLINE'], ['AT'], { active: false }),
  org('hotline-fr', 'FR', ['HOTLINE']),
  org('hotline-it', 'IT', ['HOTLINE']),
  org('hotline-gr', 'GR', ['HOTLINE']),
  org('hotline-tr', 'TR', ['HOTLINE']),
  org('hotline-pl', 'PL', ['HOTLINE']),
  org('hotline-ua', 'UA', ['HOTLINE']),
  org('hotline-no', 'NO', ['HOTLINE'], []),
  org('hotline-ch', 'CH', ['HOTLINE'], ['CH', 'LI']),
  org('hotline-cz', 'CZ', ['HOTLINE'], ['CZ'], {
    subscriptions: [
      sub('sub-cz-neighbours', { countries: ['AT', 'SK'], urgencies: ['IMMEDIATE'] }),
    ],
  }),
  org('ngo-de', 'DE', ['MEMBER_NGO']),
  org('ngo-fr-family', 'FR', ['MEMBER_NGO'], ['FR'], { categories: ['PARENTAL_ABDUCTION'] }),
  org('ngo-it-migrants', 'IT', ['MEMBER_NGO'], ['IT', 'FR'], {
    categories: ['MISSING_MIGRANT_MINOR'],
  }),
  org('ngo-syria-link', 'TR', ['MEMBER_NGO'], ['SY'], { categories: ['MISSING_MIGRANT_MINOR'] }),
  org('ngo-pl', 'PL', ['MEMBER_NGO'], ['PL'], { categories: ['THIRD_PARTY_ABDUCTION', 'RUNAWAY'] }),
  org('ngo-no', 'NO', ['MEMBER_NGO']),
  org('ngo-nl', 'NL', ['MEMBER_NGO'], ['NL'], {
    subscriptions: [
      sub('sub-nl-abductions', {
        categories: ['PARENTAL_ABDUCTION', 'THIRD_PARTY_ABDUCTION'],
        eventTypes: ['RAISED', 'RESOLVED'],
      }),
      sub('sub-nl-resolved', { categories: ['RUNAWAY'], eventTypes: ['RESOLVED'] }),
    ],
  }),
  org('mediators', 'BE', ['MEDIATOR'], ['FR', 'DE', 'AT', 'PL', 'IT', 'TR', 'UA', 'NO'], {
    categories: ['PARENTAL_ABDUCTION'],
  }),
  org('federation-operator', 'BE', ['OPERATOR'], [], {
    subscriptions: [sub('sub-ops-norway', { countries: ['NO'] })],
  }),
  org('federation-auditor', 'BE', ['AUDITOR'], ['NO', 'DE']),
];

const idOf = (eventId: string, recipientId: string): string => `${recipientId}/${eventId}`;
const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
let n = 0;
const meta = (originatingOrganisation: string) => ({
  caseId,
  eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  publishedAt: Date.parse('2026-11-22T12:00:00.000Z') + n * 1000,
  originatingOrganisation,
});

/** A RAISED event of an example, raised by `by`, its countries changed by `countries`. */
function raise(
  file: string,
  by: string,
  countries: Partial<AlertEvent['countries']> = {},
  more: Partial<AlertEvent> = {},
): AlertEvent {
  const event = toAlertEvent(read<CaseBody>(file), { ...meta(by), eventType: 'RAISED' });
  return { ...event, ...more, countries: { ...event.countries, ...countries } };
}
/** An event of an example on the case `raised`, sent by `actor`. */
function on(raised: AlertEvent, file: string, actor = raised.originatingOrganisation): AlertEvent {
  return toEventOnCase(read<EventBody>(file), read<CaseBody>('raise-runaway.json'), {
    ...meta(raised.originatingOrganisation),
    caseId: raised.caseId,
    actor,
  });
}
function routed(outcome: RoutingOutcome): Extract<RoutingOutcome, { kind: 'routed' }> {
  if (outcome.kind !== 'routed') throw new Error(`expected routed, got ${JSON.stringify(outcome)}`);
  return outcome;
}
/** The routed state after `events`, routed one after the other. */
function after(...events: AlertEvent[]): RoutedCase {
  let state: RoutedCase | undefined;
  for (const event of events) state = routed(routeEvent(event, state, DIRECTORY, idOf)).next;
  return state!;
}
/** A recipient as the table writes it: `id LEVEL rule(detail) ...`. */
const render = (outcome: RoutingOutcome): string[] =>
  routed(outcome).recipients.map(
    (r) =>
      `${r.organisationId} ${r.level} ${r.reasons.map((x) => `${x.rule}(${x.detail})`).join(' ')}`,
  );

/** The runaway example raised by ngo-de: hotline-de, hotline-at, hotline-cz receive it. */
const runaway = (): AlertEvent => raise('raise-runaway.json', 'ngo-de');

describe('routeEvent: who receives an event, and why (docs/ROUTING.md, "The test table")', () => {
  it.each<[rule: string, setup: () => [AlertEvent, RoutedCase?], recipients: string[]]>([
    [
      'hotline-of-case-country, ngo-of-case-country',
      () => [
        raise('raise-runaway.json', 'ngo-nl', { lastSeenCountry: null, suspectedDestinations: [] }),
      ],
      [
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
      ],
    ],
    [
      'hotline-of-last-seen-country, ngo-of-last-seen-country',
      () => [
        raise('raise-runaway.json', 'ngo-nl', { lastSeenCountry: 'PL', suspectedDestinations: [] }),
      ],
      [
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'hotline-pl IDENTIFY_SPECIAL hotline-of-last-seen-country(country=PL)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
        'ngo-pl IDENTIFY_SPECIAL ngo-of-last-seen-country(country=PL)',
      ],
    ],
    [
      'hotline-of-destination, ngo-of-destination',
      () => [
        raise('raise-runaway.json', 'ngo-nl', {
          lastSeenCountry: null,
          suspectedDestinations: ['PL'],
        }),
      ],
      [
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'hotline-pl IDENTIFY_SPECIAL hotline-of-destination(country=PL)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
        'ngo-pl IDENTIFY_SPECIAL ngo-of-destination(country=PL)',
      ],
    ],
    [
      'hotline-of-route, ngo-of-route: transit countries only spot the child',
      () => [
        raise('raise-runaway.json', 'ngo-nl', {
          lastSeenCountry: null,
          suspectedDestinations: [],
          knownRoute: ['PL', 'CH'],
        }),
      ],
      [
        'hotline-ch SPOT hotline-of-route(country=CH)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'hotline-pl SPOT hotline-of-route(country=PL)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
        'ngo-pl SPOT ngo-of-route(country=PL)',
      ],
    ],
    [
      'hotline-of-nationality, ngo-of-nationality (missing migrant minor)',
      () => [
        raise('raise-missing-migrant-minor.json', 'hotline-it', {
          lastSeenCountry: null,
          suspectedDestinations: [],
          knownRoute: [],
          nationalityCountries: ['UA', 'SY'],
        }),
      ],
      [
        'hotline-ua IDENTIFY hotline-of-nationality(country=UA)',
        'ngo-it-migrants IDENTIFY_SPECIAL ngo-of-case-country(country=IT)',
        'ngo-syria-link IDENTIFY ngo-of-nationality(country=SY)',
      ],
    ],
    [
      'a hotline answers for the countries its coverage lists (hotline-ch: LI)',
      () => [
        raise('raise-third-party-abduction.json', 'ngo-pl', {
          lastSeenCountry: null,
          suspectedDestinations: ['LI'],
        }),
      ],
      [
        'hotline-ch IDENTIFY_SPECIAL hotline-of-destination(country=LI)',
        'hotline-pl IDENTIFY_SPECIAL hotline-of-case-country(country=PL)',
        'ngo-nl NOTICE subscription:sub-nl-abductions(countries=all)',
      ],
    ],
    [
      'a member NGO hears only of the categories it covers (empty: all)',
      () => [
        raise('raise-runaway.json', 'ngo-nl', {
          caseCountry: 'FR',
          lastSeenCountry: 'FR',
          suspectedDestinations: [],
        }),
      ],
      [
        'hotline-fr IDENTIFY_SPECIAL hotline-of-case-country(country=FR) hotline-of-last-seen-country(country=FR)',
      ],
    ],
    [
      'mediator-parental-abduction: left-behind country and destinations',
      () => [
        raise('raise-parental-abduction.json', 'hotline-fr', {
          lastSeenCountry: 'AT',
          suspectedDestinations: [],
          knownRoute: [],
        }),
      ],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-last-seen-country(country=AT)',
        'mediators MEDIATE mediator-parental-abduction(left-behind=FR) mediator-parental-abduction(destination=AT)',
        'ngo-fr-family IDENTIFY_SPECIAL ngo-of-case-country(country=FR)',
        'ngo-nl NOTICE subscription:sub-nl-abductions(countries=all)',
      ],
    ],
    [
      'subscription: countries and urgency match (hotline-cz: AT, IMMEDIATE)',
      () => [raise('raise-runaway.json', 'ngo-nl', { lastSeenCountry: null })],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
      ],
    ],
    [
      'subscription: urgency does not match (EXPECTED)',
      () => [
        raise('raise-runaway.json', 'ngo-nl', { lastSeenCountry: null }, { urgency: 'EXPECTED' }),
      ],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE)',
      ],
    ],
    [
      'subscription: category and event type match (ngo-nl: RUNAWAY, RESOLVED)',
      () => {
        const raised = runaway();
        return [on(raised, 'event-resolved.json'), after(raised)];
      },
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT) earlier-recipient(level=NOTICE)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE) hotline-of-last-seen-country(country=DE) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'ngo-nl NOTICE subscription:sub-nl-resolved(countries=all)',
      ],
    ],
    [
      'earlier-recipient, and a destination added by an update (CZ)',
      () => {
        const raised = runaway();
        return [on(raised, 'event-updated.json'), after(raised)];
      },
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'hotline-cz IDENTIFY_SPECIAL hotline-of-destination(country=CZ) subscription:sub-cz-neighbours(countries=AT) earlier-recipient(level=NOTICE)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE) hotline-of-last-seen-country(country=DE) earlier-recipient(level=IDENTIFY_SPECIAL)',
      ],
    ],
    [
      'sighting-for-originator; the reporter (hotline-cz) is not sent its own sighting',
      () => {
        const raised = runaway();
        return [on(raised, 'event-sighting-reported.json', 'hotline-cz'), after(raised)];
      },
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE) hotline-of-last-seen-country(country=DE) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'ngo-de IDENTIFY_SPECIAL sighting-for-originator(reportedBy=hotline-cz)',
      ],
    ],
    [
      'RUNAWAY: nationality (GR, DE) routes nobody',
      () => [runaway()],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE) hotline-of-last-seen-country(country=DE)',
      ],
    ],
    [
      'PARENTAL_ABDUCTION',
      () => [raise('raise-parental-abduction.json', 'ngo-fr-family')],
      [
        'hotline-fr IDENTIFY_SPECIAL hotline-of-case-country(country=FR) hotline-of-last-seen-country(country=FR) hotline-of-route(country=FR)',
        'hotline-gr SPOT hotline-of-route(country=GR)',
        'hotline-it SPOT hotline-of-route(country=IT)',
        'hotline-tr IDENTIFY_SPECIAL hotline-of-destination(country=TR) hotline-of-route(country=TR)',
        'mediators MEDIATE mediator-parental-abduction(left-behind=FR) mediator-parental-abduction(destination=TR)',
        'ngo-nl NOTICE subscription:sub-nl-abductions(countries=all)',
      ],
    ],
    [
      'MISSING_MIGRANT_MINOR',
      () => [raise('raise-missing-migrant-minor.json', 'hotline-it')],
      [
        'hotline-de IDENTIFY_SPECIAL hotline-of-destination(country=DE)',
        'hotline-fr IDENTIFY_SPECIAL hotline-of-destination(country=FR) hotline-of-route(country=FR)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-destination(country=DE)',
        'ngo-it-migrants IDENTIFY_SPECIAL ngo-of-case-country(country=IT) ngo-of-last-seen-country(country=IT) ngo-of-destination(country=FR) ngo-of-route(country=IT) ngo-of-route(country=FR)',
        'ngo-syria-link IDENTIFY ngo-of-nationality(country=SY)',
      ],
    ],
    [
      'THIRD_PARTY_ABDUCTION',
      () => [raise('raise-third-party-abduction.json', 'hotline-pl')],
      [
        'hotline-de IDENTIFY_SPECIAL hotline-of-destination(country=DE)',
        'hotline-ua IDENTIFY_SPECIAL hotline-of-destination(country=UA)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-destination(country=DE)',
        'ngo-nl NOTICE subscription:sub-nl-abductions(countries=all)',
        'ngo-pl IDENTIFY_SPECIAL ngo-of-case-country(country=PL) ngo-of-last-seen-country(country=PL)',
      ],
    ],
    [
      'LOST_INJURED_OTHER: a hotline answers for its home country',
      () => [raise('raise-lost-injured-other.json', 'ngo-no')],
      [
        'federation-operator NOTICE subscription:sub-ops-norway(countries=NO)',
        'hotline-no IDENTIFY_SPECIAL hotline-of-case-country(country=NO) hotline-of-last-seen-country(country=NO)',
      ],
    ],
    [
      'never the originator (hotline-de raises)',
      () => [raise('raise-runaway.json', 'hotline-de')],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT)',
        'ngo-de IDENTIFY_SPECIAL ngo-of-case-country(country=DE) ngo-of-last-seen-country(country=DE)',
      ],
    ],
    [
      'never an inactive organisation (hotline-at-old, AT)',
      () => [
        raise('raise-runaway.json', 'ngo-nl', {
          caseCountry: 'AT',
          lastSeenCountry: null,
          suspectedDestinations: [],
        }),
      ],
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-case-country(country=AT)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT)',
      ],
    ],
    [
      'never the reporter of a sighting, even the originator (ngo-de reports)',
      () => {
        const raised = runaway();
        return [on(raised, 'event-sighting-reported.json', 'ngo-de'), after(raised)];
      },
      [
        'hotline-at IDENTIFY_SPECIAL hotline-of-destination(country=AT) earlier-recipient(level=IDENTIFY_SPECIAL)',
        'hotline-cz NOTICE subscription:sub-cz-neighbours(countries=AT) earlier-recipient(level=NOTICE)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-case-country(country=DE) hotline-of-last-seen-country(country=DE) earlier-recipient(level=IDENTIFY_SPECIAL)',
      ],
    ],
    [
      'operators and auditors only by subscription (federation-auditor covers DE, NO)',
      () => [
        raise('raise-runaway.json', 'ngo-de', {
          caseCountry: 'NO',
          lastSeenCountry: 'DE',
          suspectedDestinations: [],
        }),
      ],
      [
        'federation-operator NOTICE subscription:sub-ops-norway(countries=NO)',
        'hotline-de IDENTIFY_SPECIAL hotline-of-last-seen-country(country=DE)',
        'hotline-no IDENTIFY_SPECIAL hotline-of-case-country(country=NO)',
        'ngo-no IDENTIFY_SPECIAL ngo-of-case-country(country=NO)',
      ],
    ],
  ])('%s', (_rule, setup, recipients) => {
    const [event, previous] = setup();
    expect(render(routeEvent(event, previous, DIRECTORY, idOf))).toEqual(recipients);
  });
});

describe('routeEvent: later events of a case', () => {
  it('every later event reaches every earlier recipient at no less than its earlier level, even once its country is dropped', () => {
    const raised = runaway();
    const update = {
      ...on(raised, 'event-updated.json'),
      countries: { ...raised.countries, suspectedDestinations: [] },
    };
    const outcome = routed(routeEvent(update, after(raised), DIRECTORY, idOf));
    const at = outcome.recipients.find((r) => r.organisationId === 'hotline-at')!;
    expect(at.reasons).toEqual([{ rule: 'earlier-recipient', detail: 'level=IDENTIFY_SPECIAL' }]);
    expect(at.level).toBe('IDENTIFY_SPECIAL');
  });

  it('folds the case: recipients with their levels, countries so far, sequence, recent event ids', () => {
    const raised = runaway();
    const update = on(raised, 'event-updated.json');
    const outcome = routed(routeEvent(update, after(raised), DIRECTORY, idOf));
    expect(outcome.sequence).toBe(2);
    expect(outcome.next).toEqual({
      caseId,
      originator: 'ngo-de',
      recipients: {
        'hotline-at': 'IDENTIFY_SPECIAL',
        'hotline-cz': 'IDENTIFY_SPECIAL',
        'hotline-de': 'IDENTIFY_SPECIAL',
      },
      countries: ['DE', 'AT', 'CZ'],
      sequence: 2,
      closed: false,
      recentEventIds: [raised.eventId, update.eventId],
    });
  });

  it.each(['event-resolved.json', 'event-withdrawn.json'])(
    '%s reaches every past recipient and closes the case',
    (file) => {
      const raised = runaway();
      const update = on(raised, 'event-updated.json');
      const closing = {
        ...on(raised, file),
        countries: { ...raised.countries, suspectedDestinations: [] },
      };
      const outcome = routed(routeEvent(closing, after(raised, update), DIRECTORY, idOf));
      const ids = outcome.recipients.map((r) => r.organisationId);
      expect(ids).toEqual(expect.arrayContaining(['hotline-at', 'hotline-cz', 'hotline-de']));
      expect(outcome.next.closed).toBe(true);
    },
  );

  it('the originator hears of a sighting as the owner of the case, not as a recipient of later events', () => {
    const raised = runaway();
    const sighting = on(raised, 'event-sighting-reported.json', 'hotline-at');
    const state = after(raised, sighting);
    expect(state.recipients).not.toHaveProperty('ngo-de');
    const update = routed(routeEvent(on(raised, 'event-updated.json'), state, DIRECTORY, idOf));
    expect(update.recipients.map((r) => r.organisationId)).not.toContain('ngo-de');
  });

  it('a sighting whose reporter is unknown still reaches the originator', () => {
    const raised = runaway();
    const sighting = on(raised, 'event-sighting-reported.json', 'hotline-at');
    const anonymous = { ...sighting, sighting: { ...sighting.sighting!, reportedBy: null } };
    const outcome = routed(routeEvent(anonymous, after(raised), DIRECTORY, idOf));
    expect(outcome.recipients.find((r) => r.organisationId === 'ngo-de')?.reasons).toEqual([
      { rule: 'sighting-for-originator', detail: 'reportedBy=unknown' },
    ]);
  });

  it('an earlier recipient keeps its level only as far as its roles still allow', () => {
    const raised = runaway();
    const demoted = DIRECTORY.map((o) =>
      o.id === 'hotline-at' ? { ...o, roles: ['AUDITOR' as const] } : o,
    );
    const outcome = routed(
      routeEvent(on(raised, 'event-updated.json'), after(raised), demoted, idOf),
    );
    expect(outcome.recipients.find((r) => r.organisationId === 'hotline-at')?.level).toBe('NOTICE');
  });

  it('a suspended earlier recipient receives nothing but keeps its place in the case', () => {
    const raised = runaway();
    const suspended = DIRECTORY.map((o) => (o.id === 'hotline-at' ? { ...o, active: false } : o));
    const outcome = routed(
      routeEvent(on(raised, 'event-updated.json'), after(raised), suspended, idOf),
    );
    expect(outcome.recipients.map((r) => r.organisationId)).not.toContain('hotline-at');
    expect(outcome.next.recipients['hotline-at']).toBe('IDENTIFY_SPECIAL');
  });
});

describe('routeEvent: duplicates and refusals', () => {
  it('drops a second copy of an event already routed for the case, even once the case is closed', () => {
    const raised = runaway();
    const resolved = on(raised, 'event-resolved.json');
    expect(routeEvent(raised, after(raised), DIRECTORY, idOf)).toEqual({ kind: 'duplicate' });
    expect(routeEvent(resolved, after(raised, resolved), DIRECTORY, idOf)).toEqual({
      kind: 'duplicate',
    });
  });

  it(`remembers the last ${RECENT_EVENT_IDS} event ids`, () => {
    const raised = runaway();
    const updates = Array.from({ length: RECENT_EVENT_IDS + 5 }, () =>
      on(raised, 'event-updated.json'),
    );
    const state = after(raised, ...updates);
    expect(state.recentEventIds).toEqual(updates.slice(-RECENT_EVENT_IDS).map((e) => e.eventId));
    expect(state.sequence).toBe(RECENT_EVENT_IDS + 6);
  });

  const raised = runaway();
  it.each<[string, () => [AlertEvent, RoutedCase | undefined], RegExp]>([
    ['an event of type UNKNOWN', () => [{ ...raised, eventType: 'UNKNOWN' }, undefined], /UNKNOWN/],
    [
      'UPDATED of an unknown case',
      () => [on(raised, 'event-updated.json'), undefined],
      /never raised/,
    ],
    [
      'SIGHTING_REPORTED of an unknown case',
      () => [on(raised, 'event-sighting-reported.json', 'hotline-at'), undefined],
      /never raised/,
    ],
    [
      'RESOLVED of an unknown case',
      () => [on(raised, 'event-resolved.json'), undefined],
      /never raised/,
    ],
    [
      'WITHDRAWN of an unknown case',
      () => [on(raised, 'event-withdrawn.json'), undefined],
      /never raised/,
    ],
    [
      'an event on a closed case',
      () => [on(raised, 'event-updated.json'), after(raised, on(raised, 'event-withdrawn.json'))],
      /closed/,
    ],
    [
      'a RAISED for a case that exists',
      () => [{ ...raised, eventId: '99999999-0000-4000-8000-000000000000' }, after(raised)],
      /already raised/,
    ],
    [
      'a SIGHTING_REPORTED without a sighting',
      () => [{ ...on(raised, 'event-sighting-reported.json'), sighting: null }, after(raised)],
      /no sighting/,
    ],
    [
      'the routed state of another case',
      () => [on(raised, 'event-updated.json'), { ...after(raised), caseId: 'another-case' }],
      /another-case/,
    ],
  ])('refuses %s', (_what, setup, reason) => {
    const [event, previous] = setup();
    const outcome = routeEvent(event, previous, DIRECTORY, idOf);
    expect(outcome).toEqual({ kind: 'refused', reason: expect.stringMatching(reason) });
  });
});

describe('routeEvent: deterministic', () => {
  it('the same event and directory, in any order, give the same outcome, recipients sorted by id', () => {
    const event = raise('raise-parental-abduction.json', 'ngo-fr-family');
    const first = routeEvent(event, undefined, DIRECTORY, idOf);
    const reversed = routeEvent(event, undefined, [...DIRECTORY].reverse(), idOf);
    expect(reversed).toEqual(first);
    const ids = routed(first).recipients.map((r) => r.organisationId);
    expect(ids).toEqual([...ids].sort());
  });

  it('takes delivery ids from idOf, and delivery settings from the directory', () => {
    const event = runaway();
    const webhook = DIRECTORY.map((o) =>
      o.id === 'hotline-at'
        ? {
            ...o,
            delivery: { mode: 'WEBHOOK' as const, url: 'https://at.example/hook' },
            ackWithinMs: 60_000,
          }
        : o,
    );
    const at = routed(routeEvent(event, undefined, webhook, idOf)).recipients.find(
      (r) => r.organisationId === 'hotline-at',
    );
    expect(at).toMatchObject({
      deliveryId: `hotline-at/${event.eventId}`,
      mode: 'WEBHOOK',
      ackWithinMs: 60_000,
      roles: ['HOTLINE'],
    });
  });
});

describe('involvedCountries', () => {
  it.each<[string, () => AlertEvent, string[]]>([
    [
      'case, last seen, destinations, route, each once',
      () => raise('raise-parental-abduction.json', 'x'),
      ['FR', 'TR', 'IT', 'GR'],
    ],
    [
      'and nationality for a missing migrant minor',
      () => raise('raise-missing-migrant-minor.json', 'x'),
      ['IT', 'FR', 'DE', 'SY'],
    ],
    ['but not for other categories', () => raise('raise-runaway.json', 'x'), ['DE', 'AT']],
  ])('%s', (_what, event, countries) => {
    expect(involvedCountries(event())).toEqual(countries);
  });
});
