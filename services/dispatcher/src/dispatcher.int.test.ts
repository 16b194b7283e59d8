import { randomUUID } from 'node:crypto';
import { createRedis, silentLogger, type Redis } from '@alert-exchange/platform';
import {
  newSecret,
  sampleValue,
  scrapeMetrics,
  sendMessages,
  testStack,
  waitFor,
  type Received,
} from '@alert-exchange/testing';
import type { Organisation } from '@alert-exchange/contracts';
import { DispatchWorld } from './dispatch-world.test-helper';

/**
 * The dispatcher as a process against the real test stack, delivering to real HTTP
 * endpoints on loopback that verify every request with the Standard Webhooks reference
 * implementation. The retry schedule is shortened to seconds (200 ms doubling to 1 s,
 * given up after 4 s, no jitter).
 */
describe('the dispatcher', () => {
  let world: DispatchWorld;
  let operator: Organisation;
  let redis: Redis;

  beforeAll(async () => {
    world = await DispatchWorld.create();
    redis = createRedis(testStack().redisUrl, silentLogger());
    operator = await world.recipient({ roles: ['OPERATOR'] });
    await world.startDispatcher();
  });
  afterAll(async () => {
    await world?.close();
    redis?.disconnect();
  });

  /** Notices (escalations and their closing) the operator received about `deliveryId`. */
  const noticesAbout = (deliveryId: string): Received[] =>
    world.receiver
      .delivered(operator.id)
      .filter((r) => JSON.stringify(r.body.routing).includes(`delivery=${deliveryId}`));

  it('delivers signed webhooks that the reference implementation verifies, with either secret of a rotation', async () => {
    const [older, newer] = [newSecret(), newSecret()];
    const rotating = await world.recipient({ secrets: [newer, older] });
    // Each endpoint holds only one of the two secrets: both must verify.
    world.receiver.trust(rotating.id, [older]);
    const other = await world.recipient({ secrets: [newer, older] });
    world.receiver.trust(other.id, [newer]);
    const a = world.delivery(rotating);
    const b = world.delivery(other);
    await world.deliver([a, b]);

    const got = await waitFor('the first delivery', () => world.receiver.delivered(rotating.id)[0]);
    await waitFor('the second delivery', () => world.receiver.delivered(other.id)[0]);
    expect(got.deliveryId).toBe(a.deliveryId);
    expect(got.body).toEqual({
      deliveryId: a.deliveryId,
      caseId: a.caseId,
      eventId: a.eventId,
      eventType: 'RAISED',
      category: 'RUNAWAY',
      urgency: 'HIGH',
      alert: JSON.parse(a.alert!),
      routing: { reasons: [{ rule: 'hotline-of-case-country', detail: 'country=DE' }] },
      ackBy: new Date(a.ackBy).toISOString(),
    });
    expect(world.receiver.refused).not.toContain(rotating.id);
    const trail = await waitFor('the delivered record', async () => {
      const s = await world.statuses(a.deliveryId);
      return s.some((x) => x.state === 'DELIVERED') ? s : undefined;
    });
    expect(trail.map((s) => [s.state, s.attempt, s.httpStatus])).toEqual([['DELIVERED', 1, 204]]);
  });

  it('retries a recipient answering 500 three times, delivers on the fourth attempt, and records all four', async () => {
    const flaky = await world.recipient({
      behaviour: (n) => ({ status: n <= 3 ? 500 : 200 }),
    });
    const d = world.delivery(flaky);
    await world.deliver([d]);
    await waitFor('the delivery', () => world.receiver.delivered(flaky.id)[0]);
    const trail = await waitFor('four attempts recorded', async () => {
      const s = await world.statuses(d.deliveryId);
      return s.some((x) => x.state === 'DELIVERED') ? s : undefined;
    });
    expect(trail.map((s) => [s.state, s.attempt, s.httpStatus, s.errorKind])).toEqual([
      ['FAILED_RETRYING', 1, 500, 'status=500'],
      ['FAILED_RETRYING', 2, 500, 'status=500'],
      ['FAILED_RETRYING', 3, 500, 'status=500'],
      ['DELIVERED', 4, 200, null],
    ]);
    for (const s of trail) expect(s.latencyMs).toEqual(expect.any(Number));
    // Backoff: each retry waited at least its nominal delay (200, 400, 800 ms).
    const gaps = trail.slice(1).map((s, i) => s.at - trail[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(gaps[2]).toBeGreaterThanOrEqual(gaps[0]!);
  });

  it('dead-letters a delivery to a recipient down for the whole schedule, tells the operators, and a replay delivers it', async () => {
    let up = false;
    const down = await world.recipient({ behaviour: () => ({ status: up ? 200 : 503 }) });
    const d = world.delivery(down);
    await world.deliver([d]);
    const trail = await waitFor(
      'the dead letter',
      async () => {
        const s = await world.statuses(d.deliveryId);
        return s.some((x) => x.state === 'DEAD_LETTERED') ? s : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const dead = trail.find((s) => s.state === 'DEAD_LETTERED')!;
    expect(dead.errorKind).toBe('status=503');
    expect(trail.filter((s) => s.state === 'FAILED_RETRYING').length).toBeGreaterThanOrEqual(2);
    const listed = await waitFor('the dead-letter listing', async () => {
      const entry = await redis.hget('ax:dead-letters', d.deliveryId);
      return entry ? (JSON.parse(entry) as Record<string, unknown>) : undefined;
    });
    expect(listed).toMatchObject({
      deliveryId: d.deliveryId,
      recipientId: down.id,
      lastError: 'status=503',
      attempts: dead.attempt,
    });
    const [notice] = await waitFor('the operators to be told', () => {
      const n = noticesAbout(d.deliveryId);
      return n.length > 0 ? n : undefined;
    });
    expect(notice!.body).toMatchObject({ eventType: 'ESCALATION', caseId: d.caseId, alert: null });
    expect(JSON.stringify(notice!.body.routing)).toContain('escalation-dead-lettered');
    const escalations = await world.escalations();
    expect(escalations.filter((e) => e.deliveryId === d.deliveryId)).toEqual([
      expect.objectContaining({ reason: 'DEAD_LETTERED', notified: [operator.id] }),
    ]);

    up = true;
    await world.replay([d.deliveryId]);
    await waitFor('the replayed delivery', () => world.receiver.delivered(down.id)[0]);
    const after = await waitFor('the replay recorded', async () => {
      const s = await world.statuses(d.deliveryId);
      return s.some((x) => x.state === 'DELIVERED') ? s : undefined;
    });
    expect(after.map((s) => s.state)).toEqual(
      expect.arrayContaining(['DEAD_LETTERED', 'REPLAYED', 'DELIVERED']),
    );
    expect(after.find((s) => s.state === 'REPLAYED')!.actor).toBe('operator-test');
    await waitFor('the listing to forget it', async () =>
      (await redis.hget('ax:dead-letters', d.deliveryId)) === null ? true : undefined,
    );
  });

  it('keeps the events of one case in order for a recipient while the first is retried', async () => {
    const recipient = await world.recipient({
      behaviour: (n) => ({ status: n <= 2 ? 500 : 204 }),
    });
    const caseId = randomUUID();
    const events = [1, 2, 3].map((sequence) => world.delivery(recipient, { caseId, sequence }));
    await world.deliver(events);
    const got = await waitFor('three events in', () => {
      const d = world.receiver.delivered(recipient.id);
      return d.length >= 3 ? d : undefined;
    });
    expect(got.map((r) => r.deliveryId)).toEqual(events.map((e) => e.deliveryId));
  });

  it('escalates a delivery not acknowledged in time, and the acknowledgement after it closes the escalation', async () => {
    const slowToAck = await world.recipient({ ackWithinMs: 1_500 });
    const d = world.delivery(slowToAck);
    await world.deliver([d]);
    await waitFor('the delivery', () => world.receiver.delivered(slowToAck.id)[0]);
    const [escalation] = await waitFor('the escalation', () => {
      const n = noticesAbout(d.deliveryId);
      return n.length > 0 ? n : undefined;
    });
    expect(escalation!.body.eventType).toBe('ESCALATION');
    expect(JSON.stringify(escalation!.body.routing)).toContain('escalation-not-acknowledged');

    await world.acknowledge(d);
    const closing = await waitFor('the closing notice', () =>
      noticesAbout(d.deliveryId).find((r) => r.body.eventType === 'ESCALATION_CLOSED'),
    );
    expect(JSON.stringify(closing.body.routing)).toContain('acknowledged=RECEIVED');
    const states = (await world.statuses(d.deliveryId)).map((s) => s.state);
    // On a slow machine the deadline may pass before the push lands: order those two freely.
    expect(states.slice(0, 2).sort()).toEqual(['DELIVERED', 'ESCALATED']);
    expect(states.slice(2)).toEqual(['ESCALATION_CLOSED']);
  });

  it('does not push to a pull recipient, and escalates its unacknowledged delivery too', async () => {
    const puller = await world.recipient({ mode: 'PULL', ackWithinMs: 1_000 });
    const d = world.delivery(puller);
    await world.deliver([d]);
    await waitFor('the escalation', () => noticesAbout(d.deliveryId)[0]);
    expect(world.receiver.received.filter((r) => r.recipientId === puller.id)).toEqual([]);
    expect((await world.statuses(d.deliveryId)).map((s) => s.state)).toEqual(['ESCALATED']);
  });

  it('waits as long as a 503 Retry-After asks, longer than its own schedule would', async () => {
    const busy = await world.recipient({
      behaviour: (n) =>
        n === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 204 },
    });
    const d = world.delivery(busy);
    await world.deliver([d]);
    await waitFor('the delivery', () => world.receiver.delivered(busy.id)[0]);
    const trail = await waitFor('both attempts recorded', async () => {
      const s = await world.statuses(d.deliveryId);
      return s.some((x) => x.state === 'DELIVERED') ? s : undefined;
    });
    const [failed, delivered] = trail;
    expect(failed).toMatchObject({ state: 'FAILED_RETRYING', httpStatus: 503 });
    // The schedule's first wait is 200 ms; the recipient asked for 2 s.
    expect(failed!.nextAttemptAt! - failed!.at).toBeGreaterThanOrEqual(1_900);
    expect(delivered!.at).toBeGreaterThanOrEqual(failed!.nextAttemptAt!);
  });

  it('stops pushing to a recipient that answers 410, tells the operators, and resumes once its directory record changes', async () => {
    let gone = true;
    const leaving = await world.recipient({ behaviour: () => ({ status: gone ? 410 : 204 }) });
    const first = world.delivery(leaving);
    await world.deliver([first]);
    const disabled = await waitFor('the endpoint disabled', async () =>
      (await world.statuses(first.deliveryId)).find((s) => s.state === 'ENDPOINT_DISABLED'),
    );
    expect(disabled.httpStatus).toBe(410);
    const notice = await waitFor('the operators told', () => noticesAbout(first.deliveryId)[0]);
    expect(JSON.stringify(notice.body.routing)).toContain('escalation-endpoint-disabled');

    // A later delivery is held: not a single request while the endpoint is off, though the
    // dispatcher has gone on (a delivery to another recipient, written after it, arrived).
    const requestsBefore = world.receiver.received.filter(
      (r) => r.recipientId === leaving.id,
    ).length;
    const second = world.delivery(leaving);
    const bystander = await world.recipient();
    const after = world.delivery(bystander);
    await world.deliver([second]);
    await world.deliver([after]);
    await waitFor(
      'the later delivery to another recipient',
      () => world.receiver.delivered(bystander.id)[0],
    );
    expect(world.receiver.received.filter((r) => r.recipientId === leaving.id)).toHaveLength(
      requestsBefore,
    );
    expect(await world.statuses(second.deliveryId)).toEqual([]);

    gone = false;
    await world.putOrganisation({ ...leaving, updatedAt: Date.now() });
    await waitFor('both delivered after the change', () =>
      [first, second].every((d) =>
        world.receiver.delivered(leaving.id).some((r) => r.deliveryId === d.deliveryId),
      )
        ? true
        : undefined,
    );
    expect((await world.statuses(first.deliveryId)).map((s) => s.state)).toEqual(
      expect.arrayContaining(['ENDPOINT_DISABLED', 'ESCALATED', 'REPLAYED', 'DELIVERED']),
    );
  });

  it('shows on GET /metrics the latency from publication to delivery and the attempts by outcome, naming no case, delivery or organisation', async () => {
    const flaky = await world.recipient({ behaviour: (n) => ({ status: n === 1 ? 500 : 204 }) });
    // An UPDATED event, which no other test here delivers: its latency series is this test's.
    const d = { ...world.delivery(flaky), eventType: 'UPDATED' };
    // Published two minutes before it was routed (a router catching up, say).
    const publishedAt = Date.now() - 120_000;
    const schemaId = await world.codec.latestSchemaId('eu.alertexchange.Delivery');
    await sendMessages(world.kafka, world.topics.deliveries, [
      {
        key: d.recipientId,
        value: await world.codec.encode(schemaId, d),
        headers: { 'ax-published-at': String(publishedAt) },
      },
    ]);
    await waitFor('the delivery', () => world.receiver.delivered(flaky.id)[0]);

    const samples = await waitFor('the delivery in the metrics', async () => {
      const shown = await scrapeMetrics(world.dispatchers[0]!.base);
      const count = sampleValue(shown, 'exchange_delivery_latency_seconds_count', {
        event_type: 'UPDATED',
      });
      return count ? shown : undefined;
    });
    const bucket = (le: string) =>
      sampleValue(samples, 'exchange_delivery_latency_seconds_bucket', {
        event_type: 'UPDATED',
        le,
      });
    expect(bucket('+Inf')).toBe(1);
    // Measured from the publication, not from the routing.
    expect(bucket('60')).toBe(0);
    expect(bucket('86400')).toBe(1);
    const attempts = (outcome: string) =>
      sampleValue(samples, 'exchange_delivery_attempts_total', { outcome });
    expect(attempts('failed_retrying')).toBeGreaterThanOrEqual(1);
    expect(attempts('delivered')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'exchange_retry_backlog')).toBeGreaterThanOrEqual(0);
    const lag = await waitFor('the consumer lag of the deliveries group', async () =>
      sampleValue(await scrapeMetrics(world.dispatchers[0]!.base), 'exchange_consumer_lag', {
        group: world.name,
        topic: world.topics.deliveries,
      }),
    );
    expect(lag).toBeGreaterThanOrEqual(0);
    const labels = JSON.stringify(samples.map((s) => s.labels));
    for (const id of [d.deliveryId, d.caseId, d.eventId, flaky.id, operator.id])
      expect(labels).not.toContain(id);
  });
});
