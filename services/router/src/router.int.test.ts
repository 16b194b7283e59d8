import type { AlertEvent, CaseBody, Delivery } from '@alert-exchange/contracts';
import { readCommitted, sampleValue, scrapeMetrics, waitFor } from '@alert-exchange/testing';
import { caseEvents, organisation, RouterWorld } from './router-world.test-helper';

const DIRECTORY = [
  organisation('hotline-de', ['HOTLINE'], 'DE'),
  organisation('hotline-at', ['HOTLINE'], 'AT'),
  organisation('ngo-de', ['MEMBER_NGO'], 'DE'),
];

const inGermany = (body: CaseBody): CaseBody => ({
  ...body,
  countries: {
    caseCountry: 'DE',
    lastSeenCountry: 'DE',
    suspectedDestinations: ['AT'],
    knownRoute: [],
  },
});

describe('the router', () => {
  let world: RouterWorld;
  beforeAll(async () => {
    world = await RouterWorld.create({ countries: ['DE'], directory: DIRECTORY });
    await world.startRouter();
  });
  afterAll(async () => {
    await world?.close();
  });

  const deliveriesOf = async (event: AlertEvent) =>
    (await world.deliveries()).filter((d) => d.eventId === event.eventId);

  it('routes a raised case with reasons, the minimised alert and a routing record', async () => {
    const [raised] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', []);
    await world.publish([raised!]);
    await world.routedAll();
    const deliveries = await deliveriesOf(raised!);
    expect(deliveries.map((d) => d.recipientId).sort()).toEqual(['hotline-at', 'hotline-de']);
    for (const d of deliveries) {
      expect(d.reasons.length).toBeGreaterThan(0);
      expect(d.sequence).toBe(1);
      expect(d.ackBy - d.routedAt).toBe(15 * 60_000);
      expect(JSON.parse(d.alert!)).toMatchObject({ caseId: raised!.caseId });
    }
    const [record] = (await world.routingRecords()).filter((r) => r.eventId === raised!.eventId);
    expect(record?.recipients.map((r) => r.recipientId)).toEqual(['hotline-at', 'hotline-de']);
    expect(record?.source.topic).toBe(world.alertTopic('DE'));
  });

  it('marks each delivery with its event’s publish time, and counts the event and its fan-out on GET /metrics', async () => {
    const [raised] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', []);
    const shown = async () => {
      const samples = await scrapeMetrics(world.routers[0]!.base);
      const labels = { event_type: 'RAISED' };
      return {
        routed: sampleValue(samples, 'exchange_events_routed_total', labels) ?? 0,
        recipients: sampleValue(samples, 'exchange_routing_fanout_sum', labels) ?? 0,
        labels: JSON.stringify(samples.map((x) => x.labels)),
      };
    };
    const before = await shown();
    await world.publish([raised!]);
    await world.routedAll();

    const headers = await waitFor('the deliveries of the event', async () => {
      const records = await readCommitted(world.topics.deliveries, world.kafka);
      const ours = await Promise.all(
        records.map(async (r) => ({ r, d: (await world.codec.decode<Delivery>(r.value)).value })),
      );
      const mine = ours.filter(({ d }) => d.eventId === raised!.eventId).map(({ r }) => r.headers);
      return mine.length === 2 ? mine : undefined;
    });
    for (const h of headers) expect(h['ax-published-at']).toBe(String(raised!.publishedAt));
    const after = await waitFor('the routed event in the metrics', async () => {
      const now = await shown();
      return now.routed > before.routed ? now : undefined;
    });
    expect(after.routed).toBe(before.routed + 1);
    expect(after.recipients).toBe(before.recipients + 2);
    for (const id of [raised!.caseId, raised!.eventId, 'hotline-at', 'ngo-de'])
      expect(after.labels).not.toContain(id);
  });

  it('sends each kind of poison to the dead-letter topic with its reason, and keeps routing', async () => {
    const topic = world.alertTopic('DE');
    const [closedRaise, closedResolve] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', [
      { file: 'event-resolved.json' },
    ]);
    const [, lateUpdate] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', [
      { file: 'event-updated.json' },
    ]);
    const [afterClose] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', [
      { file: 'event-updated.json' },
    ]).slice(1);
    const updateOfClosed = { ...afterClose!, caseId: closedRaise!.caseId };
    await world.publish([closedRaise!, closedResolve!]);
    await world.send(topic, [
      { key: 'not-our-wire-format', value: Buffer.from('{"caseId": "plain JSON"}') },
      {
        key: 'unknown-schema-id',
        value: Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from('junk')]),
      },
    ]);
    await world.publish([lateUpdate!, updateOfClosed]);
    const [good] = caseEvents('raise-runaway.json', inGermany, 'ngo-de', []);
    await world.publish([good!]);
    await world.routedAll();

    const letters = await world.deadLetters();
    const reasonFor = (key: string) => letters.find((l) => l.key === key)?.reason;
    expect(reasonFor('not-our-wire-format')).toMatch(/magic|wire|format/i);
    expect(reasonFor('unknown-schema-id')).toMatch(/schema/i);
    expect(reasonFor(lateUpdate!.caseId)).toMatch(/never raised/i);
    expect(reasonFor(closedRaise!.caseId)).toMatch(/closed|resolved/i);
    expect(letters).toHaveLength(4);
    expect((await deliveriesOf(good!)).length).toBe(2);
  });

  it('follows a country topic created after it started, and a directory change, without a restart', async () => {
    await world.putOrganisations([organisation('hotline-pl', ['HOTLINE'], 'PL')]);
    await world.createTopics([{ topic: world.alertTopic('PL'), numPartitions: 6 }]);
    const [raised] = caseEvents(
      'raise-runaway.json',
      (body) => ({
        ...body,
        countries: {
          caseCountry: 'PL',
          lastSeenCountry: 'PL',
          suspectedDestinations: [],
          knownRoute: [],
        },
      }),
      'ngo-de',
      [],
    );
    await world.publish([raised!]);
    const deliveries = await waitFor(
      'the PL case to be routed',
      async () => {
        const found = await deliveriesOf(raised!);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect(deliveries.map((d) => d.recipientId)).toEqual(['hotline-pl']);
    expect(world.routers.every((r) => r.pid > 0)).toBe(true);
    expect(world.routers).toHaveLength(1);
  });
});
