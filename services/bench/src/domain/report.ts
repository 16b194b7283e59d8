import type { StepFigures, Verdict } from './measure';
import { ratio } from './percentiles';
import { maxSustainedRate, type BenchPlan, type Trial } from './schedule';

/** CPU and memory of one process over a step. */
export interface ProcessUsage {
  /** gateway, router, dispatcher, audit, kafka, redis, registry, bench (load and receivers). */
  readonly name: string;
  readonly pid: number;
  /** Percent of one core over the step (200 % is both cores of a 2-core machine). */
  readonly cpuPercent: number;
  /** The highest VmRSS sampled during the step, MiB. */
  readonly peakRssMb: number;
  /** VmHWM at the step's end: the peak since the process started, MiB. */
  readonly hwmMb: number;
}

/** One measured step: the floor or the exchange, at one rate. */
export interface StepResult {
  readonly kind: 'floor' | 'exchange';
  /** A fixed-rate step, or a trial of the search for the highest sustained rate. */
  readonly phase: 'fixed' | 'sustain';
  readonly targetRate: number;
  readonly seconds: number;
  readonly figures: StepFigures;
  readonly verdict: Verdict;
  readonly processes: readonly ProcessUsage[];
}

/** The machine the figures came from. */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly kernel: string;
  /** The 1, 5 and 15 minute load averages at the run's end: a busy machine shows here. */
  readonly loadAverage: readonly number[];
}

/** One goal of issue 11 and whether the run met it. */
export interface Goal {
  readonly goal: string;
  /** undefined when the run measured nothing that decides it (a quick or partial run). */
  readonly met: boolean | undefined;
  readonly figure: string;
}

/** The exchange's p50 and p99 to the floor's at one rate (delivered). */
export interface Ratio {
  readonly rate: number;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

/** Everything a run produced: written as JSON, rendered as Markdown and a chart. */
export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly plan: BenchPlan;
  readonly floor: readonly StepResult[];
  readonly exchange: readonly StepResult[];
  readonly maxSustainedRate: number | undefined;
  readonly ratios: readonly Ratio[];
  readonly goals: readonly Goal[];
}

const ms = (n: number): string => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');

/** The exchange-to-floor ratios at every rate both measured (fixed-rate steps). */
export function ratios(floor: readonly StepResult[], exchange: readonly StepResult[]): Ratio[] {
  return exchange
    .filter((e) => e.phase === 'fixed')
    .flatMap((e) => {
      const f = floor.find((s) => s.targetRate === e.targetRate);
      if (!f) return [];
      return [
        {
          rate: e.targetRate,
          p50: ratio(e.figures.delivery.p50, f.figures.delivery.p50),
          p99: ratio(e.figures.delivery.p99, f.figures.delivery.p99),
        },
      ];
    });
}

/** Issue 11's goals, judged from the run's figures (never asserted anywhere). */
export function judgeGoals(
  plan: BenchPlan,
  exchange: readonly StepResult[],
  found: readonly Ratio[],
  sustained: number | undefined,
): Goal[] {
  const at100 = exchange.find((s) => s.phase === 'fixed' && s.targetRate === 100);
  const p99at100 = at100?.figures.delivery.p99;
  const sustainedSteps = exchange.filter((s) => s.phase === 'sustain' && s.verdict.passed);
  const best = sustainedSteps.find((s) => s.targetRate === sustained);
  const worstRatio = found
    .map((r) => r.p99)
    .filter((r): r is number => r !== undefined)
    .reduce((a, b) => Math.max(a, b), -Infinity);
  const fanOut10 = plan.fanOut === 10;
  return [
    {
      goal: 'p99 publish-to-delivered ≤ 250 ms at 100 alerts/s, fan-out 10',
      met:
        p99at100 === undefined || !Number.isFinite(p99at100) || !fanOut10
          ? undefined
          : p99at100 <= 250,
      figure: p99at100 === undefined ? 'not measured' : `p99 ${ms(p99at100)}`,
    },
    {
      goal: '≥ 1,000 alerts/s (10,000 deliveries/s) sustained 60 s with zero loss, fan-out 10',
      met:
        !fanOut10 || plan.sustainSeconds < 60
          ? undefined
          : sustained !== undefined && sustained >= 1_000 && best !== undefined,
      figure:
        sustained === undefined
          ? 'no rate sustained'
          : `${sustained} alerts/s sustained for ${plan.sustainSeconds} s (${Math.round(best?.figures.deliveryRate ?? 0)} deliveries/s)`,
    },
    {
      goal: 'p99 of the exchange ≤ 3 × the raw Kafka floor at the same rate',
      met: Number.isFinite(worstRatio) ? worstRatio <= 3 : undefined,
      figure: Number.isFinite(worstRatio)
        ? found
            .map((r) => `${r.rate}/s: ${r.p99 === undefined ? 'n/a' : `${r.p99.toFixed(1)}×`}`)
            .join(', ')
        : 'not measured',
    },
  ];
}

/** Assembles the report of a run. */
export function buildReport(input: {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly plan: BenchPlan;
  readonly floor: readonly StepResult[];
  readonly exchange: readonly StepResult[];
}): BenchReport {
  const trials: Trial[] = input.exchange.map((s) => ({
    rate: s.targetRate,
    passed: s.verdict.passed,
    sustained: s.phase === 'sustain',
  }));
  const sustained = maxSustainedRate(trials);
  const found = ratios(input.floor, input.exchange);
  return {
    version: 1,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    quick: input.quick,
    machine: input.machine,
    plan: input.plan,
    floor: input.floor,
    exchange: input.exchange,
    maxSustainedRate: sustained,
    ratios: found,
    goals: judgeGoals(input.plan, input.exchange, found, sustained),
  };
}
