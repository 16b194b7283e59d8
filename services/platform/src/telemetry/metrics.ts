import { metrics, type Counter, type Histogram, type Meter } from '@opentelemetry/api';

export type { Counter, Histogram } from '@opentelemetry/api';

/**
 * Helpers for the exchange's metrics (docs/OBSERVABILITY.md, "Metrics"). Attributes are
 * categories, countries, event types, states and consumer groups: never a child's data,
 * never a case, delivery or organisation id (one series each would be unbounded).
 */

/**
 * The meter of code that may run without `startTelemetry` (tests): a no-op then, the
 * process's meter provider once `startTelemetry` has registered it.
 */
export function meterOf(name: string): Meter {
  return metrics.getMeter(name);
}

/**
 * Bucket boundaries, in seconds, of the latency histograms: a push that takes a
 * fraction of a second up to a retry schedule of a day (docs/DELIVERY.md).
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400,
]);

/** A histogram of seconds with `LATENCY_BUCKETS_SECONDS`. */
export function latencyHistogram(meter: Meter, name: string, description: string): Histogram {
  return meter.createHistogram(name, {
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SECONDS] },
  });
}

/**
 * `exchange_dead_letters`, which every service that sends records to the dead-letter
 * topic counts in, with a `reason` of a few fixed values (never the free-text reason of
 * the record's header, which names ids).
 */
export function deadLettersCounter(meter: Meter): Counter {
  return meter.createCounter('exchange_dead_letters', {
    description: 'Records sent to the dead-letter topic',
    unit: '{record}',
  });
}

/**
 * Seconds from `fromMs` to `toMs` (epoch milliseconds). Never negative: clocks of two
 * hosts may disagree by a little, and a histogram cannot take a negative latency.
 */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 1000;
}

/** A state symbol as a metric attribute value: `FAILED_RETRYING` becomes `failed_retrying`. */
export function metricLabel(symbol: string): string {
  return symbol.toLowerCase();
}
