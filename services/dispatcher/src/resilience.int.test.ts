import { randomUUID } from 'node:crypto';
import { waitFor } from '@alert-exchange/testing';
import { DispatchWorld } from './dispatch-world.test-helper';

/**
 * The dispatcher under a SIGKILL and beside a recipient that never answers in time. Each
 * test has a world (topics, group, receiver) of its own.
 */
describe('the dispatcher, when things go wrong', () => {
  let world: DispatchWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('loses nothing when killed with SIGKILL during a burst: every delivery arrives at least once, and the distinct ids are exactly the routed set', async () => {
    world = await DispatchWorld.create();
    const recipients = await Promise.all(
      [0, 1, 2, 3].map(() => world!.recipient({ behaviour: () => ({ status: 204, delayMs: 5 }) })),
    );
    // Cases of a few events each, so per-case order is exercised across the restart.
    const cases = new Map<string, string>();
    const routed = Array.from({ length: 400 }, (_, i) => {
      const recipient = recipients[i % recipients.length]!;
      const key = `${recipient.id} ${Math.floor(i / 16)}`;
      if (!cases.has(key)) cases.set(key, randomUUID());
      return world!.delivery(recipient, { caseId: cases.get(key)! });
    });
    const first = await world.startDispatcher();
    await world.deliver(routed);
    await waitFor('a part of the burst to arrive', () =>
      world!.receiver.received.length >= 60 ? true : undefined,
    );
    await first.kill();
    const before = world.receiver.received.length;
    await world.startDispatcher();

    const expected = new Set(routed.map((d) => d.deliveryId));
    await waitFor(
      'every routed delivery to arrive',
      () =>
        [...expected].every((id) => world!.receiver.received.some((r) => r.deliveryId === id))
          ? true
          : undefined,
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    const distinct = new Set(world.receiver.received.map((r) => r.deliveryId));
    expect([...distinct].sort()).toEqual([...expected].sort());
    // Per case, each event first arrived after the one before it.
    const firstArrival = new Map<string, number>();
    world.receiver.received.forEach((r, i) => {
      if (!firstArrival.has(r.deliveryId)) firstArrival.set(r.deliveryId, i);
    });
    for (const caseId of cases.values()) {
      const events = routed.filter((d) => d.caseId === caseId);
      const arrivals = events.map((d) => firstArrival.get(d.deliveryId)!);
      expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    }
    const duplicates = world.receiver.received.length - distinct.size;
    process.stdout.write(
      `SIGKILL burst: ${routed.length} routed, ${before} received before the kill, ` +
        `${world.receiver.received.length} requests in all, ${duplicates} repeated after the restart\n`,
    );
  });

  it('keeps delivering to a healthy recipient at full pace while another takes 30 s to answer', async () => {
    world = await DispatchWorld.create();
    const slow = await world.recipient({ behaviour: () => ({ status: 200, delayMs: 30_000 }) });
    const healthy = await world.recipient();
    await world.startDispatcher();

    // Pace of the healthy recipient alone.
    const alone = Array.from({ length: 50 }, () => world!.delivery(healthy));
    let started = Date.now();
    await world.deliver(alone);
    await waitFor('the healthy recipient alone', () =>
      world!.receiver.delivered(healthy.id).length >= 50 ? true : undefined,
    );
    const aloneMs = Date.now() - started;

    // The slow one gets a backlog first, so its connections are all taken, then the same load.
    await world.deliver(Array.from({ length: 20 }, () => world!.delivery(slow)));
    await waitFor('the slow recipient to be holding requests', () =>
      (world!.receiver.open.get(slow.id) ?? 0) > 0 ? true : undefined,
    );
    const beside = Array.from({ length: 50 }, () => world!.delivery(healthy));
    started = Date.now();
    await world.deliver(beside);
    await waitFor('the healthy recipient beside the slow one', () =>
      world!.receiver.delivered(healthy.id).length >= 100 ? true : undefined,
    );
    const besideMs = Date.now() - started;
    process.stdout.write(
      `Isolation: 50 deliveries to a healthy recipient took ${aloneMs} ms alone and ` +
        `${besideMs} ms beside a recipient answering after 30 s\n`,
    );
    // The slow recipient has not completed a single request (each times out after 10 s),
    // yet the healthy one received everything: it never waited behind the slow one.
    expect(world.receiver.delivered(slow.id)).toEqual([]);
    expect(world.receiver.open.get(slow.id)).toBeGreaterThan(0);
  });

  it('continues a retry schedule after a SIGKILL instead of starting it again', async () => {
    world = await DispatchWorld.create();
    const failing = await world.recipient({ behaviour: () => ({ status: 500 }) });
    const first = await world.startDispatcher();
    const d = world.delivery(failing);
    await world.deliver([d]);
    await waitFor('three failed attempts recorded', async () =>
      (await world!.statuses(d.deliveryId)).length >= 3 ? true : undefined,
    );
    await first.kill();
    await world.startDispatcher();
    const trail = await waitFor('the dead letter', async () => {
      const s = await world!.statuses(d.deliveryId);
      return s.some((x) => x.state === 'DEAD_LETTERED') ? s : undefined;
    });
    const ATTEMPT_STATES = ['FAILED_RETRYING', 'DELIVERED', 'DEAD_LETTERED', 'ENDPOINT_DISABLED'];
    const attempts = trail.filter((s) => ATTEMPT_STATES.includes(s.state)).map((s) => s.attempt);
    process.stdout.write(
      `Restart trail: ${trail.map((s) => `${s.attempt}:${s.state}@${s.at - trail[0]!.at}`).join(' ')}\n`,
    );
    // Numbered on from where the killed dispatcher stopped: never a second attempt 1.
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    // One schedule (200 ms doubling to 1 s, given up 4 s after the first attempt) has at
    // most 6 attempts; starting it again after the restart would have made more.
    expect(attempts.length).toBeLessThanOrEqual(6);
  });

  it('keeps an acknowledgement deadline across a SIGKILL: the delivery is escalated once', async () => {
    world = await DispatchWorld.create();
    const operator = await world.recipient({ roles: ['OPERATOR'] });
    const puller = await world.recipient({ mode: 'PULL' });
    const first = await world.startDispatcher();
    const d = world.delivery(puller, { ackWithinMs: 4_000 });
    await world.deliver([d]);
    await waitFor('the dispatcher to hold the delivery', async () => {
      const status = (await (await fetch(`${first.base}/status`)).json()) as { tracked: number };
      return status.tracked >= 1 ? true : undefined;
    });
    await first.kill();
    await world.startDispatcher();
    await waitFor('the escalation', async () =>
      (await world!.statuses(d.deliveryId)).some((s) => s.state === 'ESCALATED') ? true : undefined,
    );
    const notices = await waitFor('the operator to be told', () => {
      const n = world!.receiver.delivered(operator.id);
      return n.length > 0 ? n : undefined;
    });
    // A kill in the middle of escalating sends the notice again after the restart, with
    // the same id: one notice as far as the operator's de-duplication goes.
    expect(new Set(notices.map((n) => `${n.deliveryId} ${String(n.body.eventType)}`)).size).toBe(1);
    expect(notices[0]!.body.eventType).toBe('ESCALATION');
    expect((await world.statuses(d.deliveryId)).map((s) => s.state)).toEqual(['ESCALATED']);
  });

  it('opens a circuit breaker on a failing recipient: after two failures in a row, nothing for the cooldown', async () => {
    world = await DispatchWorld.create();
    const failing = await world.recipient({ behaviour: () => ({ status: 500 }) });
    await world.startDispatcher({
      BREAKER_FAILURES: '2',
      BREAKER_COOLDOWN: '3s',
      RETRY_GIVE_UP_AFTER: '30s',
    });
    const d = world.delivery(failing);
    await world.deliver([d]);
    const trail = await waitFor('three attempts', async () => {
      const s = await world!.statuses(d.deliveryId);
      return s.length >= 3 ? s : undefined;
    });
    const [first, second, third] = trail;
    // The schedule alone would try again 400 ms after the second failure; the breaker,
    // open for 3 s, holds the third attempt (the probe) until the cooldown has passed.
    expect(second!.nextAttemptAt! - second!.at).toBeLessThan(1_000);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(3_000);
    expect([first, second, third].map((s) => s!.attempt)).toEqual([1, 2, 3]);
  });
});
