import { judgeStep, measureStep } from '../domain/measure';
import type { StepResult } from '../domain/report';
import type { BenchPlan } from '../domain/schedule';
import { waitForDrain, withTicks } from './drain';
import { ExchangeWorld } from './exchange-world';
import { ProcessSampler } from './processes';

/**
 * One step of the exchange: `rate` alerts/s for `seconds` through POST /v1/alerts, then
 * a wait until every delivery reached its recipient and was acknowledged (or the plan's
 * drain timeout); CPU and memory of every process meanwhile.
 */
export async function runExchangeStep(
  world: ExchangeWorld,
  plan: BenchPlan,
  phase: StepResult['phase'],
  rate: number,
  seconds: number,
  tick: (seconds: number) => void = () => undefined,
): Promise<StepResult> {
  const fromPublication = world.publisher.publications.length;
  const fromArrival = world.received;
  const ackedBefore = world.acker.acked.size;
  const sampler = new ProcessSampler(world.pids());
  const alerts = Math.max(1, Math.round(rate * seconds));
  await withTicks(
    world.publisher.burst({
      alerts,
      perSecond: rate,
      // Enough requests in flight for the rate at a second of latency, within reason.
      concurrency: Math.min(512, Math.max(16, Math.ceil(rate))),
      body: (_index, key) => ExchangeWorld.body(key),
      giveUpAfterMs: 60_000,
      // An exchange that falls behind does not stretch the step: what is late is not sent.
      startBy: Date.now() + seconds * 1_000 + 2_000,
    }),
    tick,
  );
  const accepted = world.publisher.publications
    .slice(fromPublication)
    .filter((p) => p.eventId !== undefined).length;
  const expected = accepted * plan.fanOut;
  // Cheap while waiting (the measurement afterwards counts exactly, per delivery).
  const acknowledged = (): number => world.acker.acked.size - ackedBefore;
  await waitForDrain(acknowledged, expected, { timeoutMs: plan.drainTimeoutMs });
  const processes = sampler.finish();
  const figures = measureStep({
    sent: world.sentSince(fromPublication),
    arrivals: world.arrivalsSince(fromArrival),
    ackedAt: world.acker.ackedAt,
    fanOut: plan.fanOut,
  });
  return {
    kind: 'exchange',
    phase,
    targetRate: rate,
    seconds,
    figures,
    verdict: judgeStep(figures, rate, plan.keepUpGraceMs),
    processes,
  };
}
