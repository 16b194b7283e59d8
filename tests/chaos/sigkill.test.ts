import { waitFor } from '@alert-exchange/testing';
import { ChaosScenario, SERVICE_NAMES } from './harness';

/**
 * Chaos scenario 1 (issue 10): one burst of 5 000 alerts through the running exchange,
 * during which each of the four services (gateway, router, dispatcher, audit) is killed
 * with SIGKILL in turn and started again a second later, five rounds: 20 kills. The burst
 * is let out 240 alerts at a time: each kill comes when all but 50 of those were accepted
 * (requests in flight, routing and deliveries behind them), and the next 240 are let out
 * once the service is back, so every kill lands mid-burst however long a restart takes.
 * Each alert must reach its two hotlines (one by webhook, one by pull) once after
 * de-duplication, be acknowledged, and leave a complete, verifiable trail.
 */
const ALERTS = 5_000;
const ROUNDS = 5;
/** Alerts let out between two kills: 21 × 240 ≥ 5 000, so the last kill is mid-burst too. */
const BETWEEN_KILLS = 240;

describe('chaos 1: SIGKILL of each service in turn during a burst', () => {
  let scenario: ChaosScenario | undefined;
  beforeAll(async () => {
    scenario = await ChaosScenario.start('sigkill');
  }, 300_000);
  afterAll(async () => {
    await scenario?.close();
  }, 120_000);

  it('every (event, recipient) is delivered and acknowledged exactly once after de-duplication, and the trail is complete, across 20 SIGKILLs', async () => {
    const s = scenario!;
    const accepted = () => s.publisher.publications.filter((p) => p.eventId).length;
    let burstOver = false;
    let allowance = BETWEEN_KILLS;
    const burst = s.publisher
      .burst({ alerts: ALERTS, perSecond: 30, allowance: () => allowance })
      .finally(() => {
        burstOver = true;
      });
    const killedMidBurst: boolean[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of SERVICE_NAMES) {
        const target = allowance - 50;
        await waitFor(
          `${BETWEEN_KILLS} more alerts accepted before killing ${name}`,
          () => (accepted() >= target || burstOver ? true : undefined),
          { timeoutMs: 300_000, intervalMs: 100 },
        ).catch((error: Error) => {
          throw new Error(`${error.message}; API answers so far: ${s.ledger.summary()}`);
        });
        killedMidBurst.push(!burstOver);
        await s.exchange
          .service(name)
          .killAndRestart(
            1_000,
            name === 'gateway' ? (since) => s.publisher.lastAcceptedAt > since : undefined,
          );
        allowance += BETWEEN_KILLS;
      }
    }
    await burst;
    const report = await s.finish('1. SIGKILL of each service in turn, 5 rounds', {
      timeoutMs: 900_000,
      extra: {
        'kills landed mid-burst': `${killedMidBurst.filter(Boolean).length} of ${killedMidBurst.length}`,
      },
    });

    expect(killedMidBurst).toEqual(Array.from({ length: ROUNDS * 4 }, () => true));
    expect(s.exchange.restarts()).toHaveLength(ROUNDS * 4);
    expect(report.problems).toEqual([]);
    expect(report.accepted).toBe(ALERTS);
    expect(report.expected).toBe(ALERTS * 2);
    expect(report.received).toBe(report.expected);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
  }, 3_600_000);
});
