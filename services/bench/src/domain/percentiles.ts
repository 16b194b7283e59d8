/** The latency figures of one measurement, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The q-quantile (0 < q ≤ 1) of samples sorted ascending, by the nearest-rank method: the
 * smallest sample with at least q of all samples at or below it. Exact, no interpolation.
 */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50, p95, p99, max and mean of `samples` (any order); NaN figures when there are none. */
export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  let sum = 0;
  for (const s of list) sum += s;
  return {
    count: list.length,
    p50: nearestRank(list, 0.5),
    p95: nearestRank(list, 0.95),
    p99: nearestRank(list, 0.99),
    max: list.length === 0 ? Number.NaN : list[list.length - 1]!,
    mean: list.length === 0 ? Number.NaN : sum / list.length,
  };
}

/** How many times `exchange` is `floor` (undefined when either is not a positive number). */
export function ratio(exchange: number, floor: number): number | undefined {
  if (!Number.isFinite(exchange) || !Number.isFinite(floor) || floor <= 0) return undefined;
  return exchange / floor;
}
