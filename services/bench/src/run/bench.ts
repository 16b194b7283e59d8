import { buildReport, type BenchReport, type StepResult } from '../domain/report';
import { nextSustainedRate, type BenchPlan, type Trial } from '../domain/schedule';
import { ExchangeWorld } from './exchange-world';
import { runExchangeStep } from './exchange-step';
import { runFloorStep } from './floor-step';
import { describeMachine } from './machine';

/** What the run tells its caller as it goes (the command line draws a progress bar). */
export interface BenchProgress {
  /** Seconds of publishing the plan holds at most (floor, fixed steps, every trial). */
  total(seconds: number): void;
  /** A phase starts: a step, a drain, the stack. */
  phase(label: string): void;
  /** Seconds of publishing done so far, in all. */
  done(seconds: number): void;
}

const silent: BenchProgress = {
  total: () => undefined,
  phase: () => undefined,
  done: () => undefined,
};

/** Seconds of publishing the plan may take (the search may stop sooner). */
export function plannedSeconds(plan: BenchPlan): number {
  return (
    plan.warmupSeconds +
    2 * plan.fixedRates.length * plan.stepSeconds +
    plan.maxSustainTrials * plan.sustainSeconds
  );
}

/**
 * Runs the whole benchmark: starts an exchange of its own (broker, Redis, registry, the
 * four services, `fanOut` webhook recipients), warms it up, measures the raw Kafka floor
 * at each fixed rate on the same broker, the exchange at each fixed rate, then searches
 * for the highest rate sustained with zero loss; stops everything it started.
 */
export async function runBench(
  plan: BenchPlan,
  options: { quick: boolean; progress?: BenchProgress; registryJavaHome?: string },
): Promise<BenchReport> {
  const progress = options.progress ?? silent;
  const startedAt = new Date();
  progress.total(plannedSeconds(plan));
  progress.phase('starting the exchange (broker, Redis, registry, four services)');
  let world = await ExchangeWorld.start(plan.fanOut, options.registryJavaHome);
  let done = 0;
  const ticking = (label: string) => {
    progress.phase(label);
    const base = done;
    return (seconds: number) => progress.done(base + seconds);
  };
  const finished = (seconds: number) => {
    done += seconds;
    progress.done(done);
  };
  const warmUp = () =>
    runExchangeStep(world, plan, 'fixed', 20, plan.warmupSeconds, ticking('warm-up (not counted)'));
  try {
    const floor: StepResult[] = [];
    const exchange: StepResult[] = [];
    await warmUp();
    finished(plan.warmupSeconds);
    const payloadBytes = Buffer.byteLength(
      JSON.stringify(ExchangeWorld.body('floor-payload-size')),
    );
    const kafka = world.exchange.client();
    for (const rate of plan.fixedRates) {
      const tick = ticking(`floor at ${rate}/s`);
      floor.push(
        await runFloorStep(kafka, plan, rate, plan.stepSeconds, payloadBytes, world.pids(), tick),
      );
      finished(plan.stepSeconds);
    }
    // A step the exchange did not drain leaves a backlog that would slow the next one: the
    // next step then gets a fresh exchange.
    let backlog = false;
    const measure = async (phase: StepResult['phase'], rate: number, seconds: number) => {
      if (backlog) {
        progress.phase('a backlog remains: starting a fresh exchange for the next step');
        await world.close();
        world = await ExchangeWorld.start(plan.fanOut, options.registryJavaHome);
        await warmUp();
      }
      const label = phase === 'fixed' ? `exchange at ${rate}/s` : `sustained trial at ${rate}/s`;
      const step = await runExchangeStep(world, plan, phase, rate, seconds, ticking(label));
      exchange.push(step);
      finished(seconds);
      backlog = step.figures.acknowledged < step.figures.expectedDeliveries;
    };
    for (const rate of plan.fixedRates) await measure('fixed', rate, plan.stepSeconds);
    const trials = (): Trial[] =>
      exchange.map((s) => ({
        rate: s.targetRate,
        passed: s.verdict.passed,
        sustained: s.phase === 'sustain',
      }));
    for (
      let rate = nextSustainedRate(plan.ladder, trials(), plan.maxSustainTrials);
      rate !== undefined;
      rate = nextSustainedRate(plan.ladder, trials(), plan.maxSustainTrials)
    )
      await measure('sustain', rate, plan.sustainSeconds);
    progress.done(plannedSeconds(plan));
    return buildReport({
      startedAt,
      finishedAt: new Date(),
      quick: options.quick,
      machine: describeMachine(),
      plan,
      floor,
      exchange,
    });
  } finally {
    progress.phase('stopping the exchange');
    await world.close();
  }
}
