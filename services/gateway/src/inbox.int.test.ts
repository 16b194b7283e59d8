import { randomUUID } from 'node:crypto';
import {
  minimiseAlert,
  toAlertEvent,
  webhookBody,
  type Acknowledgement,
  type CaseBody,
  type Delivery,
  type DeliveryReplay,
  type ViewLevel,
} from '@alert-exchange/contracts';
import { Redis } from '@alert-exchange/platform';
import {
  sampleValue,
  scrapeMetrics,
  testStack,
  uniqueName,
  waitFor,
} from '@alert-exchange/testing';
import { call, enrol, example, type Member } from './api-client.test-helper';
import { DeliveryWriter, EventStream, testDelivery, type Written } from './delivery.test-helper';
import { freshTrace, readsIn } from './personal-data-reads.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

/**
 * Receiving by pull (contract: Receiving): deliveries written to the deliveries topic as
 * the router writes them reach each recipient's inbox, long poll and stream, in order,
 * each recorded as a personal-data read first; recipients acknowledge them; operators
 * list and replay dead letters.
 */
describe('the pull inbox, acknowledgements and dead letters', () => {
  let gateway: GatewayProcess;
  let writer: DeliveryWriter;
  let redis: Redis;

  beforeAll(async () => {
    [gateway, writer] = await Promise.all([startReadyGateway(), DeliveryWriter.open()]);
    redis = new Redis(testStack().redisUrl);
  });
  afterAll(async () => {
    await Promise.all([gateway?.stop(), writer?.close(), redis?.quit()]);
  });

  const recipient = (prefix = 'hotline-inbox'): Promise<Member> =>
    enrol(gateway.base, { prefix, roles: ['hotline'], country: 'AT' });
  const inbox = (member: Member, query = '') =>
    call(gateway.base, member.key, 'GET', `/v1/inbox${query}`);
  const cursorOf = (written: Written): string => `${written.partition}-${written.offset}`;
  /** The deliveries of `member`'s inbox once it holds `count`. */
  const inboxOf = (member: Member, count: number) =>
    waitFor(`${member.id}'s inbox to hold ${count}`, async () => {
      const answer = await inbox(member, '?limit=100');
      return answer.status === 200 && answer.body.deliveries.length >= count
        ? (answer.body as { deliveries: Array<{ deliveryId: string }>; next: string })
        : undefined;
    });
  const ack = (member: { key: string }, deliveryId: string, body: unknown) =>
    call(gateway.base, member.key, 'POST', `/v1/deliveries/${deliveryId}/ack`, body);

  describe('GET /v1/inbox', () => {
    it('a recipient reads its deliveries in order, page by page, as the webhook body; the cursor stays put when nothing came', async () => {
      const [hotline, neighbour] = await Promise.all([recipient(), recipient()]);
      const mine = [testDelivery(hotline.id), testDelivery(hotline.id), testDelivery(hotline.id)];
      const theirs = testDelivery(neighbour.id);
      const written = await writer.write(mine[0]!, theirs, mine[1]!, mine[2]!);
      await inboxOf(hotline, 3);

      const first = await inbox(hotline, '?limit=2');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        deliveries: [webhookBody(mine[0]!), webhookBody(mine[1]!)],
        next: cursorOf(written[2]!),
      });
      const second = await inbox(hotline, `?after=${first.body.next}&limit=2`);
      expect(second.body).toEqual({
        deliveries: [webhookBody(mine[2]!)],
        next: cursorOf(written[3]!),
      });
      const third = await inbox(hotline, `?after=${second.body.next}`);
      expect(third.body).toEqual({ deliveries: [], next: second.body.next });

      // Another recipient's delivery was not in it; the neighbour sees only that one.
      expect((await inboxOf(neighbour, 1)).deliveries).toEqual([webhookBody(theirs)]);
    });

    it('an empty inbox answers no deliveries and a null cursor: read again from the beginning', async () => {
      const hotline = await recipient();
      expect((await inbox(hotline)).body).toEqual({ deliveries: [], next: null });
      expect((await inbox(hotline, '?after=')).body).toEqual({ deliveries: [], next: null });
    });

    it('a long poll answers as soon as a delivery arrives during the wait', async () => {
      const hotline = await recipient();
      const [first] = await writer.write(testDelivery(hotline.id));
      await inboxOf(hotline, 1);
      const started = Date.now();
      const waiting = inbox(hotline, `?after=${cursorOf(first!)}&wait=25`);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const later = testDelivery(hotline.id);
      const [second] = await writer.write(later);
      const answer = await waiting;
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ deliveries: [webhookBody(later)], next: cursorOf(second!) });
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('a long poll with nothing to give waits for the time asked, then answers the same cursor', async () => {
      const hotline = await recipient();
      const [first] = await writer.write(testDelivery(hotline.id));
      await inboxOf(hotline, 1);
      const started = Date.now();
      const answer = await inbox(hotline, `?after=${cursorOf(first!)}&wait=2`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect(answer.body).toEqual({ deliveries: [], next: cursorOf(first!) });
    });

    it('a delivery written again (a replay) is in the inbox once, at its newer position', async () => {
      const hotline = await recipient();
      const replayed = testDelivery(hotline.id);
      const other = testDelivery(hotline.id);
      await writer.write(replayed, other);
      await inboxOf(hotline, 2);
      const [again] = await writer.write(replayed);
      const page = await waitFor('the replay to move', async () => {
        const answer = await inbox(hotline);
        return answer.body.next === cursorOf(again!) ? answer.body : undefined;
      });
      expect(page.deliveries.map((d: { deliveryId: string }) => d.deliveryId)).toEqual([
        other.deliveryId,
        replayed.deliveryId,
      ]);
    });

    it.each<[string, string, string]>([
      ['a cursor that is not one', '?after=yesterday', '/query/after'],
      ['a wait over 30 s', '?wait=31', '/query/wait'],
      ['a limit of 0', '?limit=0', '/query/limit'],
      ['a limit over 100', '?limit=500', '/query/limit'],
    ])('%s is a 400 problem naming the parameter', async (_what, query, path) => {
      const hotline = await recipient();
      const answer = await inbox(hotline, query);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    });

    it('the bootstrap operator, no organisation of the directory, has no inbox: 403', async () => {
      const answer = await call(gateway.base, OPERATOR_KEY, 'GET', '/v1/inbox');
      expect(answer.status).toBe(403);
      expect(answer.body.detail).toMatch(/not an organisation of the directory/);
    });
  });

  describe('GET /v1/inbox/stream', () => {
    it('streams deliveries as they arrive, resumes after Last-Event-ID, and sends a heartbeat while quiet', async () => {
      const hotline = await recipient();
      const [d1, d2, d3] = [
        testDelivery(hotline.id),
        testDelivery(hotline.id),
        testDelivery(hotline.id),
      ];
      const stream = await EventStream.open(gateway.base, hotline.key);
      let written: Written[];
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(stream.headers.get('cache-control')).toMatch(/no-cache/);
        written = await writer.write(d1, d2);
        const events = await stream.deliveries(2);
        expect(events).toEqual([
          { id: cursorOf(written[0]!), event: 'delivery', data: JSON.stringify(webhookBody(d1)) },
          { id: cursorOf(written[1]!), event: 'delivery', data: JSON.stringify(webhookBody(d2)) },
        ]);
        // Quiet now: a comment every 15 s keeps proxies from closing the stream.
        expect(await stream.next(20_000)).toEqual({ comment: 'heartbeat' });
      } finally {
        stream.close();
      }

      written.push(...(await writer.write(d3)));
      const resumed = await EventStream.open(gateway.base, hotline.key, '/v1/inbox/stream', {
        'last-event-id': cursorOf(written[0]!),
      });
      try {
        const events = await resumed.deliveries(2);
        expect(events.map((e) => e.id)).toEqual([cursorOf(written[1]!), cursorOf(written[2]!)]);
        expect(JSON.parse(events[1]!.data!)).toEqual(webhookBody(d3));
      } finally {
        resumed.close();
      }

      const fromQuery = await EventStream.open(
        gateway.base,
        hotline.key,
        `/v1/inbox/stream?after=${cursorOf(written[1]!)}`,
      );
      try {
        expect((await fromQuery.deliveries(1)).map((e) => e.id)).toEqual([cursorOf(written[2]!)]);
      } finally {
        fromQuery.close();
      }
    });

    it('a bad Last-Event-ID is a 400 problem before any event', async () => {
      const hotline = await recipient();
      const answer = await call(gateway.base, hotline.key, 'GET', '/v1/inbox/stream', undefined, {
        'last-event-id': 'not-a-cursor',
      });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('every case shown is recorded first (PersonalDataRead, for the audit trail)', () => {
    const raised = example('raise-runaway.json') as CaseBody;
    /** A delivery of a real alert, minimised to `level` as the router writes it. */
    const showing = (recipientId: string, level: ViewLevel): Delivery => {
      const delivery = testDelivery(recipientId, { viewLevel: level });
      const event = toAlertEvent(raised, {
        caseId: delivery.caseId,
        eventId: delivery.eventId,
        eventType: 'RAISED',
        publishedAt: delivery.routedAt,
        originatingOrganisation: 'ngo-de-test',
      });
      return { ...delivery, alert: JSON.stringify(minimiseAlert(event, level)) };
    };
    /** An operator's notice as the dispatcher writes it: the facts in reasons, no alert. */
    const notice = (recipientId: string): Delivery =>
      testDelivery(recipientId, {
        eventType: 'ESCALATION',
        viewLevel: null,
        alert: null,
        reasons: [{ rule: 'escalation-not-acknowledged', detail: `delivery=${randomUUID()}` }],
      });
    /** The record each delivery that carries an alert gets, in deliveryId order. */
    const recordsOf = (
      member: Member,
      via: 'INBOX' | 'INBOX_STREAM',
      traceId: string,
      deliveries: Delivery[],
    ) =>
      deliveries
        .filter((d) => d.alert !== null)
        .sort((a, b) => a.deliveryId.localeCompare(b.deliveryId))
        .map((d) => ({
          key: d.caseId,
          value: {
            readId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            at: expect.any(Number),
            reader: member.id,
            caseId: d.caseId,
            deliveryId: d.deliveryId,
            eventId: d.eventId,
            viewLevel: d.viewLevel,
            via,
            traceId,
          },
        }));
    const sorted = <T extends { value: { deliveryId: string | null } }>(records: T[]): T[] =>
      records.sort((a, b) => a.value.deliveryId!.localeCompare(b.value.deliveryId!));
    /** No name or description of the example child in `value`. */
    const expectNoChild = (value: unknown): void => {
      const text = JSON.stringify(value);
      for (const name of raised.child.names) {
        expect(text).not.toContain(name.given);
        expect(text).not.toContain(name.family!);
      }
      for (const description of raised.child.descriptions!)
        expect(text).not.toContain(description.text);
    };

    it('an inbox page records one read per delivery carrying an alert, in one batch, before the answer; a notice without an alert records none', async () => {
      const hotline = await recipient();
      const shown = [
        showing(hotline.id, 'SPOT'),
        notice(hotline.id),
        showing(hotline.id, 'IDENTIFY_SPECIAL'),
      ];
      await writer.write(...shown);
      await inboxOf(hotline, 3);
      const { traceId, headers } = freshTrace();
      const page = await call(gateway.base, hotline.key, 'GET', '/v1/inbox', undefined, headers);
      expect(page.status).toBe(200);
      expect(page.body.deliveries).toEqual(shown.map(webhookBody));
      expect(JSON.stringify(page.body)).toContain(raised.child.names[0]!.given);

      const records = sorted(await readsIn(traceId));
      expect(records).toEqual(recordsOf(hotline, 'INBOX', traceId, shown));
      // One read, one moment: the records were made together.
      expect(new Set(records.map((r) => r.value.at)).size).toBe(1);
      expectNoChild(records);
    });

    it('the stream records each delivery carrying an alert before it writes its event', async () => {
      const hotline = await recipient();
      const { traceId, headers } = freshTrace();
      const stream = await EventStream.open(gateway.base, hotline.key, '/v1/inbox/stream', headers);
      try {
        expect(stream.status).toBe(200);
        const shown = [showing(hotline.id, 'MEDIATE'), notice(hotline.id)];
        await writer.write(...shown);
        const [first] = await stream.deliveries(1);
        expect(JSON.parse(first!.data!)).toEqual(webhookBody(shown[0]!));
        // The recipient holds the event: Kafka already holds its record.
        expect(await readsIn(traceId)).toEqual(recordsOf(hotline, 'INBOX_STREAM', traceId, shown));

        const later = showing(hotline.id, 'NOTICE');
        await writer.write(later);
        const events = await stream.deliveries(2);
        expect(events.map((e) => JSON.parse(e.data!).deliveryId)).toEqual([
          shown[1]!.deliveryId,
          later.deliveryId,
        ]);
        const records = sorted(await readsIn(traceId));
        expect(records).toEqual(recordsOf(hotline, 'INBOX_STREAM', traceId, [...shown, later]));
        expectNoChild(records);
      } finally {
        stream.close();
      }
    });

    it('a caller refused the inbox (403) records nothing', async () => {
      const { traceId, headers } = freshTrace();
      for (const path of ['/v1/inbox', '/v1/inbox/stream'])
        expect(
          (await call(gateway.base, OPERATOR_KEY, 'GET', path, undefined, headers)).status,
        ).toBe(403);
      expect(await readsIn(traceId)).toEqual([]);
    });

    describe('when Kafka does not take the records', () => {
      let refusing: GatewayProcess;

      beforeAll(async () => {
        // A topic nobody created (the broker creates none by itself): every write of a
        // record of a read is refused, after the publishing producer's retries (~10 s).
        refusing = await startReadyGateway({
          PERSONAL_DATA_READS_TOPIC: uniqueName('no-such-topic'),
        });
      });
      afterAll(async () => {
        await refusing?.stop();
      });

      it('the inbox, its stream and a case read answer 503 problem+json with Retry-After, and show nothing', async () => {
        const [hotline, ngo] = await Promise.all([
          recipient(),
          enrol(gateway.base, { prefix: 'ngo-reads', roles: ['member-ngo'], country: 'DE' }),
        ]);
        const delivery = showing(hotline.id, 'IDENTIFY_SPECIAL');
        await writer.write(delivery);
        await inboxOf(hotline, 1);
        const raisedCase = await call(gateway.base, ngo.key, 'POST', '/v1/alerts', raised);
        expect(raisedCase.status).toBe(202);
        // The second gateway learns the new keys from directory.api-keys within seconds.
        for (const member of [hotline, ngo])
          await waitFor(`the refusing gateway to know ${member.id}`, async () =>
            (await call(refusing.base, member.key, 'GET', '/v1/subscriptions')).status === 200
              ? true
              : undefined,
          );

        for (const [member, path] of [
          [hotline, '/v1/inbox'],
          [hotline, '/v1/inbox/stream'],
          [ngo, `/v1/alerts/${raisedCase.body.caseId}`],
        ] as const) {
          const answer = await call(refusing.base, member.key, 'GET', path);
          expect(answer.status).toBe(503);
          expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(answer.body.detail).toMatch(/record of this read/);
          expect(JSON.stringify(answer.body)).not.toContain(delivery.deliveryId);
          expectNoChild(answer.body);
        }
      });
    });
  });

  describe('POST /v1/deliveries/{deliveryId}/ack', () => {
    let hotline: Member;
    let stranger: Member;
    let operator: Member;
    let delivery: Delivery;

    beforeAll(async () => {
      [hotline, stranger, operator] = await Promise.all([
        recipient(),
        recipient('ngo-stranger'),
        enrol(gateway.base, { prefix: 'operator-ack', roles: ['operator'], country: 'BE' }),
      ]);
      delivery = testDelivery(hotline.id);
      await writer.write(delivery);
      await inboxOf(hotline, 1);
    });

    const acknowledgementsOf = async (deliveryId: string) =>
      (await writer.read<Acknowledgement>('acknowledgements')).filter(
        (r) => r.value.deliveryId === deliveryId,
      );

    it('the recipient acknowledges (200 after Kafka has it); the same status again answers the same ack and writes nothing', async () => {
      const note = 'Our team met the child at the station';
      const first = await ack(hotline, delivery.deliveryId, { status: 'RECEIVED', note });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        ackId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        deliveryId: delivery.deliveryId,
        status: 'RECEIVED',
        note,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const again = await ack(hotline, delivery.deliveryId, { status: 'RECEIVED' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);

      const records = await acknowledgementsOf(delivery.deliveryId);
      expect(records).toEqual([
        {
          key: delivery.caseId,
          value: {
            ackId: first.body.ackId,
            deliveryId: delivery.deliveryId,
            caseId: delivery.caseId,
            recipientId: hotline.id,
            status: 'RECEIVED',
            note,
            at: Date.parse(first.body.at as string),
          },
        },
      ]);
    });

    it('concurrent repeats of one acknowledgement record it once; ACTIONED is a second one', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => ack(hotline, delivery.deliveryId, { status: 'ACTIONED' })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.body.ackId as string)).size).toBe(1);
      expect(answers[0]!.body).not.toHaveProperty('note');
      const records = await acknowledgementsOf(delivery.deliveryId);
      expect(records.map((r) => r.value.status).sort()).toEqual(['ACTIONED', 'RECEIVED']);
    });

    it('another organisation, an operator or the bootstrap operator gets 403, and nothing is recorded', async () => {
      const fresh = testDelivery(hotline.id);
      await writer.write(fresh);
      await inboxOf(hotline, 2);
      for (const caller of [stranger, operator, { key: OPERATOR_KEY }]) {
        const answer = await ack(caller, fresh.deliveryId, { status: 'RECEIVED' });
        expect(answer.status).toBe(403);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      expect(await acknowledgementsOf(fresh.deliveryId)).toEqual([]);
    });

    it('a delivery routed a moment ago is waited for; an unknown or malformed id is a 404', async () => {
      const fresh = testDelivery(hotline.id);
      await writer.write(fresh);
      expect((await ack(hotline, fresh.deliveryId, { status: 'RECEIVED' })).status).toBe(200);

      const started = Date.now();
      const unknown = await ack(hotline, randomUUID(), { status: 'RECEIVED' });
      expect(unknown.status).toBe(404);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      expect((await ack(hotline, 'not-a-delivery', { status: 'RECEIVED' })).status).toBe(404);
    });

    it.each<[string, unknown, string]>([
      ['no status', { note: 'seen' }, '/status'],
      ['an unknown status', { status: 'DONE' }, '/status'],
      ['a note over 2000 characters', { status: 'RECEIVED', note: 'x'.repeat(2001) }, '/note'],
      ['an unknown member', { status: 'RECEIVED', by: 'me' }, ''],
    ])('%s is a 400 problem naming the field', async (_what, body, path) => {
      const answer = await ack(hotline, delivery.deliveryId, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    });

    it('GET /metrics shows the latency from publication to the first acknowledgement of each status; repeats add nothing', async () => {
      const latency = async (status: string) => {
        const samples = await scrapeMetrics(gateway.base);
        const series = 'exchange_delivery_ack_latency_seconds';
        return {
          count: sampleValue(samples, `${series}_count`, { status }) ?? 0,
          withinAMinute: sampleValue(samples, `${series}_bucket`, { status, le: '60' }) ?? 0,
          labels: JSON.stringify(samples.map((s) => s.labels)),
        };
      };
      const [received, actioned] = [await latency('RECEIVED'), await latency('ACTIONED')];
      // Without the router's publish-time header, a delivery counts from when it was routed.
      const late = testDelivery(hotline.id, { routedAt: Date.now() - 120_000 });
      await writer.write(late);
      await waitFor('the delivery in the inbox', async () =>
        (await inboxOf(hotline, 1)).deliveries.find((d) => d.deliveryId === late.deliveryId),
      );
      for (const status of ['RECEIVED', 'RECEIVED', 'ACTIONED'])
        expect((await ack(hotline, late.deliveryId, { status })).status).toBe(200);

      const [receivedAfter, actionedAfter] = [await latency('RECEIVED'), await latency('ACTIONED')];
      expect(receivedAfter.count).toBe(received.count + 1);
      expect(actionedAfter.count).toBe(actioned.count + 1);
      // Two minutes after it was routed: over a minute.
      expect(receivedAfter.withinAMinute).toBe(received.withinAMinute);
      for (const id of [late.deliveryId, late.caseId, hotline.id])
        expect(receivedAfter.labels).not.toContain(id);
    });
  });

  describe('dead letters (operators)', () => {
    let operator: Member;
    let hotline: Member;
    let other: Member;
    const letters: Record<string, { deliveryId: string; deadLetteredAt: string }> = {};

    beforeAll(async () => {
      [operator, hotline, other] = await Promise.all([
        enrol(gateway.base, { prefix: 'operator-dl', roles: ['operator'], country: 'BE' }),
        recipient('hotline-dl'),
        recipient('hotline-dl-other'),
      ]);
      // The one place a test writes the dispatcher's key: the dispatcher files dead
      // letters in ax:dead-letters (field deliveryId, value JSON); the gateway only reads it.
      const entries = [
        ['old', hotline.id, '2026-11-20T08:00:00.000Z'],
        ['new', hotline.id, '2026-11-22T08:00:00.000Z'],
        ['other', other.id, '2026-11-21T08:00:00.000Z'],
      ] as const;
      for (const [name, recipientId, deadLetteredAt] of entries) {
        const deliveryId = randomUUID();
        letters[name] = { deliveryId, deadLetteredAt };
        await redis.hset(
          'ax:dead-letters',
          deliveryId,
          JSON.stringify({
            deliveryId,
            caseId: randomUUID(),
            recipientId,
            eventType: 'RAISED',
            deadLetteredAt,
            attempts: 29,
            lastError: 'status=503',
          }),
        );
      }
      // An entry the dispatcher never writes so: left out, not a 500.
      await redis.hset('ax:dead-letters', randomUUID(), '{"deliveryId":');
    });

    const list = (query: string, key = operator.key) =>
      call(gateway.base, key, 'GET', `/v1/admin/dead-letters${query}`);
    const replay = (body: unknown, key = operator.key) =>
      call(gateway.base, key, 'POST', '/v1/admin/dead-letters/replay', body);
    const replaysOf = async (requestId: string) =>
      (await writer.read<DeliveryReplay>('delivery-commands')).filter(
        (r) => r.value.requestId === requestId,
      );

    it("lists a recipient's dead letters newest first, and those since a time", async () => {
      const all = await list(`?recipientId=${hotline.id}`);
      expect(all.status).toBe(200);
      expect(all.body.deadLetters).toEqual([
        {
          deliveryId: letters.new!.deliveryId,
          caseId: expect.any(String),
          recipientId: hotline.id,
          eventType: 'RAISED',
          deadLetteredAt: letters.new!.deadLetteredAt,
          attempts: 29,
          lastError: 'status=503',
        },
        expect.objectContaining({ deliveryId: letters.old!.deliveryId }),
      ]);
      const since = await list(`?recipientId=${hotline.id}&since=2026-11-21T00:00:00Z`);
      expect(since.body.deadLetters.map((l: { deliveryId: string }) => l.deliveryId)).toEqual([
        letters.new!.deliveryId,
      ]);
      const bad = await list('?since=last-week');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/query/since']);
    });

    it('a replay of a recipient writes one DeliveryReplay naming its dead letters and the operator, then answers 202', async () => {
      const answer = await replay({ recipientId: hotline.id });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        deliveryIds: [letters.new!.deliveryId, letters.old!.deliveryId],
      });
      const records = await replaysOf(answer.body.requestId as string);
      expect(records).toEqual([
        {
          key: answer.body.requestId,
          value: {
            requestId: answer.body.requestId,
            deliveryIds: [letters.new!.deliveryId, letters.old!.deliveryId],
            requestedBy: operator.id,
            at: expect.any(Number),
          },
        },
      ]);
    });

    it('the bootstrap operator replays one delivery as exchange-operator', async () => {
      const answer = await replay({ deliveryId: letters.other!.deliveryId }, OPERATOR_KEY);
      expect(answer.status).toBe(202);
      expect(answer.body.deliveryIds).toEqual([letters.other!.deliveryId]);
      const [record] = await replaysOf(answer.body.requestId as string);
      expect(record?.value.requestedBy).toBe('exchange-operator');
    });

    it('an empty selection is a 202 with no deliveries, and nothing is written', async () => {
      const answer = await replay({ recipientId: hotline.id, since: '2030-01-01T00:00:00Z' });
      expect(answer.status).toBe(202);
      expect(answer.body.deliveryIds).toEqual([]);
      expect(await replaysOf(answer.body.requestId as string)).toEqual([]);
    });

    it('a delivery that is no dead letter is a 404; a body naming nothing is a 400', async () => {
      expect((await replay({ deliveryId: randomUUID() })).status).toBe(404);
      const nothing = await replay({});
      expect(nothing.status).toBe(400);
      expect(nothing.body.errors.map((e: { path: string }) => e.path)).toEqual(['']);
    });

    it('a recipient may neither list nor replay: 403', async () => {
      expect((await list('', hotline.key)).status).toBe(403);
      expect((await replay({ recipientId: hotline.id }, hotline.key)).status).toBe(403);
    });
  });
});
