import { waitFor } from '@alert-exchange/testing';
import { ChaosScenario } from './harness';

/**
 * Chaos scenario 3 (issue 10): Redis restarted with its data gone (the harness's Redis
 * keeps nothing on disk) in the middle of a burst of 1 500 alerts. Redis is a cache, a
 * rate limiter and a scheduler, never the record (docs/RELIABILITY.md, "Redis losses"):
 * the gateway's projections notice the loss and read Kafka again, so the pull hotline's
 * inbox refills; idempotency falls back on name-based ids, so the publisher's retries do
 * not raise a case twice; the audit index and the dead-letter list are rebuilt from
 * Kafka. Then: every accepted alert delivered to both hotlines once after de-duplication,
 * acknowledged, the trail complete; no 5xx but the documented 503; no service exited.
 */
const ALERTS = 1_500;
const FLUSH_AFTER = 500;

describe('chaos 3: Redis restarted with its data flushed mid-burst', () => {
  let scenario: ChaosScenario | undefined;
  beforeAll(async () => {
    scenario = await ChaosScenario.start('redis');
  }, 300_000);
  afterAll(async () => {
    await scenario?.close();
  }, 120_000);

  it('loses nothing and doubles nothing after de-duplication: Kafka is the record', async () => {
    const s = scenario!;
    const accepted = () => s.publisher.publications.filter((p) => p.eventId).length;
    let burstOver = false;
    const burst = s.publisher.burst({ alerts: ALERTS, perSecond: 30 }).finally(() => {
      burstOver = true;
    });
    // Generous: at 30 alerts/s this takes 17 s on an idle machine, longer on a busy one.
    await waitFor(
      `${FLUSH_AFTER} alerts accepted`,
      () => (accepted() >= FLUSH_AFTER ? true : undefined),
      { timeoutMs: 300_000, intervalMs: 100 },
    );
    const flushedMidBurst = !burstOver;
    const acceptedAtFlush = accepted();
    const flushedAt = Date.now();
    await s.exchange.restartRedis();
    const backAt = Date.now();
    const firstAccepted = await waitFor(
      'an alert accepted after Redis came back',
      () => (s.publisher.lastAcceptedAt > backAt ? s.publisher.lastAcceptedAt : undefined),
      { timeoutMs: 300_000, intervalMs: 100 },
    );
    await burst;
    const report = await s.finish('3. Redis restarted empty mid-burst', {
      timeoutMs: 900_000,
      extra: {
        'Redis flushed after accepted alerts': acceptedAtFlush,
        'Redis away': `${((backAt - flushedAt) / 1_000).toFixed(1)} s`,
        'Redis back to first alert accepted again': `${((firstAccepted - backAt) / 1_000).toFixed(1)} s`,
        'service exits': s.exchange.crashes().length,
      },
    });

    expect(flushedMidBurst).toBe(true);
    expect(s.exchange.crashes()).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.accepted).toBe(ALERTS);
    expect(report.expected).toBe(ALERTS * 2);
    expect(report.received).toBe(report.expected);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
  }, 1_800_000);
});
