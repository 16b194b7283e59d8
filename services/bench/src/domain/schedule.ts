/** What a benchmark run measures and for how long. */
export interface BenchPlan {
  /** Each step's recipients per alert (and the floor's copies per record). */
  readonly fanOut: number;
  /** The fixed rates (alerts/s) the floor and the exchange are measured at. */
  readonly fixedRates: readonly number[];
  /** Seconds of publishing per fixed-rate step. */
  readonly stepSeconds: number;
  /** Seconds of publishing per trial of the search for the highest sustained rate. */
  readonly sustainSeconds: number;
  /** The rates the search may try, ascending. */
  readonly ladder: readonly number[];
  /** Trials of the search at most (0: no search). */
  readonly maxSustainTrials: number;
  /** Seconds at a low rate before the first step, not counted (JIT, connections, caches). */
  readonly warmupSeconds: number;
  /** A step keeps up when its last delivery arrives within this after publishing ends. */
  readonly keepUpGraceMs: number;
  /**
   * How long a step waits at most for its stragglers before it counts them lost (it stops
   * sooner when nothing has arrived for 20 s).
   */
  readonly drainTimeoutMs: number;
}

/** Options of the command line; each overrides the mode's default. */
export interface PlanOptions {
  /** A few seconds per step, one trial of the search: for development and the test. */
  readonly quick?: boolean;
  readonly fixedRates?: readonly number[];
  readonly stepSeconds?: number;
  readonly sustainSeconds?: number;
  readonly maxSustainTrials?: number;
  readonly fanOut?: number;
}

/** Roughly 1.5× apart, from a trickle to twice the throughput goal. */
export const DEFAULT_LADDER: readonly number[] = [
  10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000,
];

/** The full run (issue 11's rates and 60 s sustained) or, with `quick`, seconds per step. */
export function planBench(options: PlanOptions = {}): BenchPlan {
  const quick = options.quick ?? false;
  const fixedRates = options.fixedRates ?? [10, 100, 500];
  for (const rate of fixedRates)
    if (!(rate > 0)) throw new Error(`a rate must be positive, not ${rate}`);
  const plan: BenchPlan = {
    fanOut: options.fanOut ?? 10,
    fixedRates: [...fixedRates].sort((a, b) => a - b),
    stepSeconds: options.stepSeconds ?? (quick ? 3 : 30),
    sustainSeconds: options.sustainSeconds ?? (quick ? 3 : 60),
    ladder: DEFAULT_LADDER,
    maxSustainTrials: options.maxSustainTrials ?? (quick ? 1 : 4),
    warmupSeconds: quick ? 1 : 5,
    keepUpGraceMs: 10_000,
    drainTimeoutMs: quick ? 60_000 : 120_000,
  };
  if (!(plan.stepSeconds > 0) || !(plan.sustainSeconds > 0))
    throw new Error('step and sustain durations must be positive');
  if (!(plan.fanOut >= 1)) throw new Error('fan-out must be at least 1');
  return plan;
}

/** One measured rate: whether it passed, and whether it ran for the sustained duration. */
export interface Trial {
  readonly rate: number;
  readonly passed: boolean;
  /** True for a trial of the search (sustainSeconds long), false for a fixed-rate step. */
  readonly sustained: boolean;
}

/**
 * The next rate to try in the search for the highest rate sustained with zero loss, or
 * undefined when the search is over. A binary search over `ladder` between the highest
 * rate that passed and the lowest that failed (fixed-rate steps narrow it too); the answer
 * must itself have passed a sustained trial, so a rate known to pass only from a shorter
 * step is tried last.
 */
export function nextSustainedRate(
  ladder: readonly number[],
  trials: readonly Trial[],
  maxTrials: number,
): number | undefined {
  if (trials.filter((t) => t.sustained).length >= maxTrials) return undefined;
  const failed = trials.filter((t) => !t.passed).map((t) => t.rate);
  const passed = trials.filter((t) => t.passed).map((t) => t.rate);
  const lowestFail = failed.length > 0 ? Math.min(...failed) : Infinity;
  const highestPass = Math.max(0, ...passed.filter((r) => r < lowestFail));
  const candidates = ladder.filter((r) => r > highestPass && r < lowestFail);
  const tried = new Set(trials.filter((t) => t.sustained).map((t) => t.rate));
  if (candidates.length > 0) {
    // The middle candidate; with no failure yet, step up fast from the last pass.
    const index =
      lowestFail === Infinity
        ? Math.min(candidates.length - 1, 1)
        : Math.floor((candidates.length - 1) / 2);
    return candidates[index];
  }
  if (highestPass > 0 && !tried.has(highestPass)) return highestPass;
  return undefined;
}

/** The highest rate that passed a sustained trial, if any. */
export function maxSustainedRate(trials: readonly Trial[]): number | undefined {
  const rates = trials.filter((t) => t.sustained && t.passed).map((t) => t.rate);
  return rates.length > 0 ? Math.max(...rates) : undefined;
}
