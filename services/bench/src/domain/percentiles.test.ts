import { nearestRank, ratio, summarise } from './percentiles';

describe('latency percentiles are exact, by nearest rank', () => {
  it.each([
    { sorted: [5], q: 0.5, expected: 5 },
    { sorted: [5], q: 0.99, expected: 5 },
    { sorted: [1, 2], q: 0.5, expected: 1 },
    { sorted: [1, 2], q: 0.51, expected: 2 },
    { sorted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.95, expected: 10 },
    { sorted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.9, expected: 9 },
    { sorted: Array.from({ length: 100 }, (_, i) => i + 1), q: 0.99, expected: 99 },
    { sorted: Array.from({ length: 1000 }, (_, i) => i + 1), q: 0.99, expected: 990 },
    { sorted: Array.from({ length: 1000 }, (_, i) => i + 1), q: 1, expected: 1000 },
  ])('the $q quantile of $sorted.length samples is $expected', ({ sorted, q, expected }) => {
    expect(nearestRank(sorted, q)).toBe(expected);
  });

  it('an empty measurement has no percentiles', () => {
    expect(summarise([])).toEqual({
      count: 0,
      p50: NaN,
      p95: NaN,
      p99: NaN,
      max: NaN,
      mean: NaN,
    });
  });

  it.each([
    { samples: [3, 1, 2], expected: { count: 3, p50: 2, p95: 3, p99: 3, max: 3, mean: 2 } },
    {
      samples: [10, 10, 10, 10, 500],
      expected: { count: 5, p50: 10, p95: 500, p99: 500, max: 500, mean: 108 },
    },
    {
      samples: [0.5, 0.25],
      expected: { count: 2, p50: 0.25, p95: 0.5, p99: 0.5, max: 0.5, mean: 0.375 },
    },
  ])('summarises unsorted samples $samples', ({ samples, expected }) => {
    expect(summarise(samples)).toEqual(expected);
  });
});

describe('the ratio of the exchange to the floor', () => {
  it.each([
    { exchange: 30, floor: 10, expected: 3 },
    { exchange: 5, floor: 10, expected: 0.5 },
    { exchange: 30, floor: 0, expected: undefined },
    { exchange: NaN, floor: 10, expected: undefined },
    { exchange: 30, floor: NaN, expected: undefined },
  ])('$exchange ms against $floor ms is $expected', ({ exchange, floor, expected }) => {
    expect(ratio(exchange, floor)).toBe(expected);
  });
});
