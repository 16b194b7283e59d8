import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openEvent, type AlertEvent } from '@alert-exchange/contracts';
import { AvroCodec, createRedis, silentLogger } from '@alert-exchange/platform';
import {
  readTopic,
  sampleValue,
  scrapeMetrics,
  testKeyring,
  testStack,
  uniqueName,
} from '@alert-exchange/testing';
import { call, enrol, example, type Member } from './api-client.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

const EXAMPLES = join(__dirname, '..', '..', '..', 'schemas', 'examples');
const raises = readdirSync(EXAMPLES).filter((f) => f.startsWith('raise-'));

/** The events of the alert topic of `country` whose case reference is `reference`. */
async function eventsOf(country: string, reference: string): Promise<AlertEvent[]> {
  const codec = new AvroCodec(testStack().schemaRegistryUrl);
  const records = await readTopic(`alerts.${country.toLowerCase()}`);
  const events = await Promise.all(
    records.map(async (r) => (await codec.decode<AlertEvent>(r.value)).value),
  );
  return events.filter((e) => e.originCaseReference === reference);
}

/** A raise body of `country` with a reference no other test uses. */
function raise(country = 'DE', file = 'raise-runaway.json'): Record<string, any> {
  const body = example(file);
  body.originCaseReference = uniqueName('ref');
  body.countries.caseCountry = country;
  return body;
}

describe('publishing alerts and reading cases', () => {
  let gateway: GatewayProcess;
  let ngo: Member;
  let hotline: Member;
  let mediator: Member;
  let stranger: Member;
  beforeAll(async () => {
    gateway = await startReadyGateway();
    [ngo, hotline, mediator, stranger] = await Promise.all([
      enrol(gateway.base, { prefix: 'ngo-de', roles: ['member-ngo'], country: 'DE' }),
      enrol(gateway.base, { prefix: 'hotline-at', roles: ['hotline'], country: 'AT' }),
      enrol(gateway.base, { prefix: 'mediators', roles: ['mediator'], country: 'BE' }),
      enrol(gateway.base, { prefix: 'ngo-fr', roles: ['member-ngo'], country: 'FR' }),
    ]);
  });
  let keys: Awaited<ReturnType<typeof testKeyring>> | undefined;
  /** The cases' keys, as the services hold them. */
  const keyring = async () => (keys ??= await testKeyring()).keyring;
  afterAll(async () => {
    await Promise.all([gateway?.stop(), keys?.stop()]);
  });

  it.each(raises)(
    'accepts %s as is: 202 after Kafka has it, with its ids and trace',
    async (file) => {
      const body = example(file);
      const answer = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        caseId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(answer.headers.get('location')).toBe(`/v1/alerts/${answer.body.caseId}`);
      const records = await readTopic(`alerts.${body.countries.caseCountry.toLowerCase()}`);
      const record = records.find((r) => r.key === answer.body.caseId);
      expect(record?.headers).toMatchObject({
        'ax-event-type': 'RAISED',
        'ax-origin': ngo.id,
        traceparent: expect.stringContaining(answer.body.traceId),
      });
      const event = (
        await new AvroCodec(testStack().schemaRegistryUrl).decode<AlertEvent>(record!.value)
      ).value;
      expect(event).toMatchObject({
        eventId: answer.body.eventId,
        eventType: 'RAISED',
        category: body.category,
        originatingOrganisation: ngo.id,
      });
      // The child's data reaches Kafka sealed under the case's key (docs/PRIVACY.md)...
      expect(event.personal.encoding).toBe('AES_256_GCM');
      for (const name of body.child.names as Array<{ given: string }>)
        expect(record!.value!.includes(name.given)).toBe(false);
      // ...and opens to names in any script, unchanged by the hop.
      const opened = await openEvent(event, await keyring());
      expect(opened.personal.clear?.names.map((n) => n.given)).toEqual(
        body.child.names.map((n: { given: string }) => n.given),
      );
    },
  );

  it('counts each event Kafka has taken on GET /metrics, by category and case country, naming no organisation or case', async () => {
    const body = raise('LU', 'raise-parental-abduction.json');
    const published = async () => {
      const samples = await scrapeMetrics(gateway.base);
      const labels = { category: 'PARENTAL_ABDUCTION', country: 'LU', event_type: 'RAISED' };
      return {
        count: sampleValue(samples, 'exchange_alerts_published_total', labels) ?? 0,
        labels: JSON.stringify(samples.map((s) => s.labels)),
      };
    };
    const before = await published();
    const answer = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
    expect(answer.status).toBe(202);
    const after = await published();
    expect(after.count).toBe(before.count + 1);
    for (const id of [ngo.id, answer.body.caseId, answer.body.eventId])
      expect(after.labels).not.toContain(id);
  });

  it('lets hotlines publish and refuses mediators, auditors and callers without a key', async () => {
    expect((await call(gateway.base, hotline.key, 'POST', '/v1/alerts', raise('AT'))).status).toBe(
      202,
    );
    expect((await call(gateway.base, mediator.key, 'POST', '/v1/alerts', raise())).status).toBe(
      403,
    );
    expect((await call(gateway.base, undefined, 'POST', '/v1/alerts', raise())).status).toBe(401);
  });

  it('serves the case to its originator and operators, and 404 to everyone else', async () => {
    const body = raise('DE', 'raise-parental-abduction.json');
    const { body: raised } = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
    const path = `/v1/alerts/${raised.caseId}`;

    const own = await call(gateway.base, ngo.key, 'GET', path);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      caseId: raised.caseId,
      status: 'OPEN',
      originatingOrganisation: ngo.id,
      lastEventId: raised.eventId,
      eventCount: 1,
      case: { category: 'PARENTAL_ABDUCTION', originCaseReference: body.originCaseReference },
    });
    expect(own.body.case.child.names).toEqual(body.child.names);
    expect((await call(gateway.base, OPERATOR_KEY, 'GET', path)).status).toBe(200);

    for (const other of [stranger, hotline, mediator]) {
      const answer = await call(gateway.base, other.key, 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await call(gateway.base, ngo.key, 'GET', '/v1/alerts/not-a-uuid')).status).toBe(404);
    expect(
      (await call(gateway.base, ngo.key, 'GET', `/v1/alerts/${crypto.randomUUID()}`)).status,
    ).toBe(404);
  });

  it('folds events into the case: update, sighting, resolution; a closed case takes no more', async () => {
    const body = raise();
    const { body: raised } = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
    const events = `/v1/alerts/${raised.caseId}/events`;
    const updated = Object.assign(example('event-updated.json'), {
      originCaseReference: body.originCaseReference,
    });

    expect((await call(gateway.base, stranger.key, 'POST', events, updated)).status).toBe(404);
    const update = await call(gateway.base, ngo.key, 'POST', events, updated);
    expect(update.status).toBe(202);
    expect(update.body.caseId).toBe(raised.caseId);
    const sighting = await call(
      gateway.base,
      ngo.key,
      'POST',
      events,
      example('event-sighting-reported.json'),
    );
    expect(sighting.status).toBe(202);
    const resolved = await call(
      gateway.base,
      OPERATOR_KEY,
      'POST',
      events,
      example('event-resolved.json'),
    );
    expect(resolved.status).toBe(202);
    const late = await call(gateway.base, ngo.key, 'POST', events, example('event-withdrawn.json'));
    expect(late.status).toBe(409);

    const view = await call(gateway.base, ngo.key, 'GET', `/v1/alerts/${raised.caseId}`);
    expect(view.body).toMatchObject({
      status: 'RESOLVED',
      eventCount: 4,
      lastEventId: resolved.body.eventId,
      case: { urgency: updated.urgency },
      sightings: [{ eventId: sighting.body.eventId, country: 'CZ', reportedBy: ngo.id }],
      resolution: { eventId: resolved.body.eventId, outcome: 'FOUND_SAFE' },
      withdrawal: null,
    });
    const published = await eventsOf('DE', body.originCaseReference);
    expect(published.map((e) => e.eventType)).toEqual([
      'RAISED',
      'UPDATED',
      'SIGHTING_REPORTED',
      'RESOLVED',
    ]);
    expect(published[1]!.supersedes).toBe(raised.eventId);
    expect(new Set(published.map((e) => e.originatingOrganisation))).toEqual(new Set([ngo.id]));
  });

  it('lets only the originator or an operator withdraw', async () => {
    const { body: raised } = await call(
      gateway.base,
      hotline.key,
      'POST',
      '/v1/alerts',
      raise('AT'),
    );
    const events = `/v1/alerts/${raised.caseId}/events`;
    expect(
      (await call(gateway.base, ngo.key, 'POST', events, example('event-withdrawn.json'))).status,
    ).toBe(404);
    const withdrawn = await call(
      gateway.base,
      hotline.key,
      'POST',
      events,
      example('event-withdrawn.json'),
    );
    expect(withdrawn.status).toBe(202);
    const view = await call(gateway.base, OPERATOR_KEY, 'GET', `/v1/alerts/${raised.caseId}`);
    expect(view.body).toMatchObject({
      status: 'WITHDRAWN',
      withdrawal: { eventId: withdrawn.body.eventId },
    });
  });

  describe('bad input gets a 4xx problem naming the field', () => {
    const cases: Array<[string, (b: Record<string, any>) => unknown, number, string]> = [
      [
        'a wrong type',
        (b) => ({ ...b, child: { ...b.child, ageYears: 'twelve' } }),
        400,
        '/child/ageYears',
      ],
      ['an adult', (b) => ({ ...b, child: { ...b.child, ageYears: 19 } }), 400, '/child/ageYears'],
      ['an unknown category', (b) => ({ ...b, category: 'LOST' }), 400, '/category'],
      ['an unknown urgency', (b) => ({ ...b, urgency: 'NOW' }), 400, '/urgency'],
      [
        'an unknown country',
        (b) => ({ ...b, countries: { ...b.countries, caseCountry: 'XX' } }),
        400,
        '/countries/caseCountry',
      ],
      [
        'a country without an alert topic',
        (b) => ({ ...b, countries: { ...b.countries, caseCountry: 'US' } }),
        400,
        '/countries/caseCountry',
      ],
      [
        'a lower-case destination',
        (b) => ({ ...b, countries: { ...b.countries, suspectedDestinations: ['at'] } }),
        400,
        '/countries/suspectedDestinations/0',
      ],
      ['no name', (b) => ({ ...b, child: { ...b.child, names: [] } }), 400, '/child/names'],
      ['an unknown member', (b) => ({ ...b, childName: 'x' }), 400, ''],
      ['a bad date-time', (b) => ({ ...b, occurredAt: 'yesterday' }), 400, '/occurredAt'],
      [
        'a date in the future',
        (b) => ({ ...b, occurredAt: '2999-01-01T00:00:00Z' }),
        400,
        '/occurredAt',
      ],
      ['a missing member', ({ category: _c, ...b }) => b, 400, '/category'],
      ['an array', () => [], 400, ''],
    ];
    it.each(cases)('%s', async (_what, mutate, status, path) => {
      const answer = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', mutate(raise()));
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it('malformed JSON, an oversized body and a bad Idempotency-Key', async () => {
      const malformed = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', '{"category": ');
      expect(malformed.status).toBe(400);
      const big = raise();
      big.circumstances = 'x'.repeat(300_000);
      expect((await call(gateway.base, ngo.key, 'POST', '/v1/alerts', big)).status).toBe(413);
      const badKey = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', raise(), {
        'idempotency-key': 'k'.repeat(256),
      });
      expect(badKey.status).toBe(400);
      expect(badKey.body.detail).toMatch(/Idempotency-Key/);
    });

    it('an event of an unknown type', async () => {
      const { body: raised } = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', raise());
      const answer = await call(
        gateway.base,
        ngo.key,
        'POST',
        `/v1/alerts/${raised.caseId}/events`,
        {
          type: 'ESCALATED',
          occurredAt: '2026-11-21T10:20:00.000Z',
        },
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain('/type');
    });
  });

  describe('Idempotency-Key', () => {
    it('the same key and body twice: the identical response and one Kafka record', async () => {
      const body = raise('LU');
      const headers = { 'idempotency-key': uniqueName('key') };
      const first = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers);
      const second = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers);
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      expect(await eventsOf('LU', body.originCaseReference)).toHaveLength(1);
    });

    it('the same key with another body is 409, and publishes nothing', async () => {
      const body = raise('LU');
      const headers = { 'idempotency-key': uniqueName('key') };
      expect((await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers)).status).toBe(
        202,
      );
      const other = await call(
        gateway.base,
        ngo.key,
        'POST',
        '/v1/alerts',
        { ...body, urgency: 'FUTURE' },
        headers,
      );
      expect(other.status).toBe(409);
      expect(await eventsOf('LU', body.originCaseReference)).toHaveLength(1);
    });

    it('two concurrent requests with one key publish once and answer alike', async () => {
      const body = raise('LU');
      const headers = { 'idempotency-key': uniqueName('key') };
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(await eventsOf('LU', body.originCaseReference)).toHaveLength(1);
    });

    it('keys are per organisation: another organisation may use the same key', async () => {
      const key = { 'idempotency-key': uniqueName('key') };
      const a = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', raise('LU'), key);
      const b = await call(gateway.base, stranger.key, 'POST', '/v1/alerts', raise('LU'), key);
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.body.caseId).not.toBe(b.body.caseId);
    });

    describe('when Redis has lost the key (its last writes, a flush)', () => {
      /** Forgets every Idempotency-Key record of `member`, as a Redis that lost them would. */
      async function forgetKeys(member: Member): Promise<void> {
        const redis = createRedis(testStack().redisUrl, silentLogger());
        try {
          const keys = await redis.keys(`ax:idem:${member.id}:*`);
          expect(keys.length).toBeGreaterThan(0);
          await redis.del(...keys);
        } finally {
          redis.disconnect();
        }
      }

      it('a retried raise publishes the same case and event again, which readers count once', async () => {
        const body = raise('LU');
        const headers = { 'idempotency-key': uniqueName('key') };
        const first = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers);
        await forgetKeys(ngo);
        const retry = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body, headers);
        expect(first.status).toBe(202);
        expect(retry.status).toBe(202);
        expect(retry.body).toMatchObject({
          caseId: first.body.caseId,
          eventId: first.body.eventId,
        });
        const events = await eventsOf('LU', body.originCaseReference);
        expect(events.map((e) => [e.caseId, e.eventId])).toEqual([
          [first.body.caseId, first.body.eventId],
          [first.body.caseId, first.body.eventId],
        ]);
        const read = await call(gateway.base, ngo.key, 'GET', `/v1/alerts/${first.body.caseId}`);
        expect(read.body).toMatchObject({ eventCount: 1, lastEventId: first.body.eventId });
      });

      it('a retried resolution of the case it closed answers 202 again and publishes nothing', async () => {
        const body = raise('LU');
        const { body: raised } = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
        const headers = { 'idempotency-key': uniqueName('key') };
        const events = `/v1/alerts/${raised.caseId}/events`;
        const resolution = example('event-resolved.json');
        const first = await call(gateway.base, ngo.key, 'POST', events, resolution, headers);
        expect(first.status).toBe(202);
        await forgetKeys(ngo);
        const retry = await call(gateway.base, ngo.key, 'POST', events, resolution, headers);
        expect(retry).toMatchObject({
          status: 202,
          body: { caseId: raised.caseId, eventId: first.body.eventId },
        });
        // Another resolution, under a new key, is still refused: the case is closed.
        const other = await call(gateway.base, ngo.key, 'POST', events, resolution, {
          'idempotency-key': uniqueName('key'),
        });
        expect(other.status).toBe(409);
        expect((await eventsOf('LU', body.originCaseReference)).map((e) => e.eventType)).toEqual([
          'RAISED',
          'RESOLVED',
        ]);
      });
    });

    it('holds for events on a case too', async () => {
      const body = raise('LU');
      const { body: raised } = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', body);
      const headers = { 'idempotency-key': uniqueName('key') };
      const events = `/v1/alerts/${raised.caseId}/events`;
      const first = await call(
        gateway.base,
        ngo.key,
        'POST',
        events,
        example('event-resolved.json'),
        headers,
      );
      const again = await call(
        gateway.base,
        ngo.key,
        'POST',
        events,
        example('event-resolved.json'),
        headers,
      );
      expect(first.status).toBe(202);
      expect(again).toMatchObject({ status: 202, body: first.body });
      expect((await eventsOf('LU', body.originCaseReference)).map((e) => e.eventType)).toEqual([
        'RAISED',
        'RESOLVED',
      ]);
    });
  });
});
