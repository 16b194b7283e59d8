import type { AlertEvent, CaseBody, Delivery, Organisation } from '@alert-exchange/contracts';
import { waitFor } from '@alert-exchange/testing';
import { deliveryIdOf } from './delivery-id';
import { routeEvent, type RoutedCase } from './domain/routing';
import { caseEvents, organisation, RouterWorld } from './router-world.test-helper';

/**
 * Exactly-once routing under failure: bursts of alert events routed while router
 * processes are killed with SIGKILL, then the deliveries topic read read_committed, as
 * the dispatcher reads it. Each (event, recipient) must be there exactly once, and
 * nothing else. The expectation is the pure routing of the same events over the same
 * directory.
 */

const COUNTRIES = ['DE', 'FR', 'AT'];
const HOTLINE_COUNTRIES = ['DE', 'FR', 'AT', 'CZ', 'PL', 'IT', 'ES', 'GR', 'RO', 'HU', 'SK', 'SI'];

const DIRECTORY: Organisation[] = [
  ...HOTLINE_COUNTRIES.map((c) => organisation(`hotline-${c.toLowerCase()}`, ['HOTLINE'], c)),
  organisation('ngo-de', ['MEMBER_NGO'], 'DE', {
    coverage: { countries: ['DE', 'AT'], categories: [] },
  }),
  organisation('ngo-fr', ['MEMBER_NGO'], 'FR'),
  organisation('ngo-at', ['MEMBER_NGO'], 'AT', {
    coverage: { countries: ['AT'], categories: ['RUNAWAY', 'PARENTAL_ABDUCTION'] },
  }),
  organisation('mediators', ['MEDIATOR'], 'BE', {
    coverage: { countries: ['DE', 'FR', 'AT', 'PL', 'IT', 'ES'], categories: [] },
  }),
  organisation('hotline-be', ['HOTLINE'], 'BE', {
    subscriptions: [
      {
        id: 'sub-immediate-de',
        countries: ['DE'],
        categories: [],
        urgencies: ['IMMEDIATE'],
        eventTypes: [],
      },
    ],
  }),
];

const RAISES = [
  'raise-runaway.json',
  'raise-parental-abduction.json',
  'raise-missing-migrant-minor.json',
  'raise-third-party-abduction.json',
  'raise-lost-injured-other.json',
];

/** `cases` cases of four events each (raise, update, a hotline's sighting, resolution). */
function burst(cases: number): AlertEvent[] {
  const events: AlertEvent[] = [];
  for (let i = 0; i < cases; i++) {
    const country = COUNTRIES[i % COUNTRIES.length]!;
    events.push(
      ...caseEvents(
        RAISES[i % RAISES.length]!,
        (body: CaseBody) => ({ ...body, countries: { ...body.countries, caseCountry: country } }),
        `ngo-${country.toLowerCase()}`,
        [
          { file: 'event-updated.json' },
          { file: 'event-sighting-reported.json', actor: 'hotline-cz' },
          { file: 'event-resolved.json' },
        ],
      ),
    );
  }
  return events;
}

/** The deliveries the pure routing gives for `events`, in publishing order per case. */
function expectedDeliveries(events: readonly AlertEvent[]): Set<string> {
  const cases = new Map<string, RoutedCase>();
  const expected = new Set<string>();
  for (const event of events) {
    const outcome = routeEvent(event, cases.get(event.caseId), DIRECTORY, deliveryIdOf);
    if (outcome.kind !== 'routed') throw new Error(`${event.eventId}: ${outcome.kind}`);
    cases.set(event.caseId, outcome.next);
    for (const r of outcome.recipients) expected.add(`${event.eventId} ${r.organisationId}`);
  }
  return expected;
}

/** Fails naming what is duplicated, missing or unexpected. */
function expectExactlyOnce(deliveries: readonly Delivery[], expected: ReadonlySet<string>): void {
  const seen = new Map<string, number>();
  for (const d of deliveries) {
    const key = `${d.eventId} ${d.recipientId}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    expect(d.deliveryId).toBe(deliveryIdOf(d.eventId, d.recipientId));
  }
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  const missing = [...expected].filter((k) => !seen.has(k));
  const unexpected = [...seen.keys()].filter((k) => !expected.has(k));
  expect({
    duplicated: duplicated.slice(0, 10),
    missing: missing.slice(0, 10),
    unexpected: unexpected.slice(0, 10),
    counts: [duplicated.length, missing.length, unexpected.length],
  }).toEqual({
    counts: [0, 0, 0],
    duplicated: [],
    missing: [],
    unexpected: [],
  });
  expect(deliveries.length).toBe(expected.size);
}

/** How many alert records the group has committed so far, over every alert topic. */
async function committed(world: RouterWorld): Promise<number> {
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    const topics = COUNTRIES.map((c) => world.alertTopic(c));
    const offsets = await admin.fetchOffsets({ groupId: world.name, topics });
    return offsets
      .flatMap((t) => t.partitions)
      .reduce((n, p) => n + (p.offset === '-1' ? 0 : Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('exactly-once routing', () => {
  let world: RouterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('SIGKILL during bursts of 2 000 events: each (event, recipient) delivered exactly once', async () => {
    world = await RouterWorld.create({ countries: COUNTRIES, directory: DIRECTORY });
    const events = burst(500);
    expect(events).toHaveLength(2_000);
    let router = await world.startRouter();
    const waves = 4;
    const perWave = events.length / waves;
    let kills = 0;
    for (let wave = 0; wave < waves; wave++) {
      const before = await committed(world);
      await world.publish(events.slice(wave * perWave, (wave + 1) * perWave));
      // Kill as soon as the router has made progress on this wave, while it routes it.
      await waitFor('the router to route part of the wave', async () =>
        (await committed(world!)) > before ? true : undefined,
      );
      await router.kill();
      kills++;
      router = await world.startRouter();
    }
    await world.routedAll();
    expect(kills).toBe(waves);
    expect(await world.deadLetters()).toEqual([]);
    expectExactlyOnce(await world.deliveries(), expectedDeliveries(events));
    const records = await world.routingRecords();
    expect(new Set(records.map((r) => r.eventId)).size).toBe(events.length);
    expect(records).toHaveLength(events.length);
  }, 900_000);

  it('two routers share the partitions; SIGKILL of one mid-burst loses and duplicates nothing', async () => {
    world = await RouterWorld.create({ countries: COUNTRIES, directory: DIRECTORY });
    const events = burst(500);
    const [first] = await Promise.all([world.startRouter(), world.startRouter()]);
    await world.publish(events.slice(0, 1_000));
    const before = await committed(world);
    await world.publish(events.slice(1_000));
    await waitFor('the routers to route part of the second half', async () =>
      (await committed(world!)) > before ? true : undefined,
    );
    await first.kill();
    await world.routedAll();
    expect(await world.deadLetters()).toEqual([]);
    expectExactlyOnce(await world.deliveries(), expectedDeliveries(events));
  }, 900_000);
});
