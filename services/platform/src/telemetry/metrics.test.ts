import { LATENCY_BUCKETS_SECONDS, metricLabel, secondsBetween } from './metrics';

describe('latency in seconds', () => {
  it.each([
    ['a push within the second', 1_000, 1_250, 0.25],
    ['a delivery an hour after publishing', 0, 3_600_000, 3600],
    ['the same instant', 5_000, 5_000, 0],
    ['a clock a little behind the publisher (never negative)', 2_000, 1_900, 0],
  ])('%s', (_name, from, to, seconds) => {
    expect(secondsBetween(from, to)).toBe(seconds);
  });

  it('has buckets rising from 50 ms to a day, the retry schedule’s length', () => {
    expect([...LATENCY_BUCKETS_SECONDS].sort((a, b) => a - b)).toEqual([
      ...LATENCY_BUCKETS_SECONDS,
    ]);
    expect(LATENCY_BUCKETS_SECONDS[0]).toBe(0.05);
    expect(LATENCY_BUCKETS_SECONDS.at(-1)).toBe(86_400);
  });
});

describe('metric labels of states', () => {
  it.each([
    ['DELIVERED', 'delivered'],
    ['FAILED_RETRYING', 'failed_retrying'],
    ['DEAD_LETTERED', 'dead_lettered'],
    ['ENDPOINT_DISABLED', 'endpoint_disabled'],
    ['NOT_ACKNOWLEDGED', 'not_acknowledged'],
  ])('%s is %s', (symbol, label) => {
    expect(metricLabel(symbol)).toBe(label);
  });
});
