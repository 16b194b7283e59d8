import {
  DEFAULT_LADDER,
  maxSustainedRate,
  nextSustainedRate,
  planBench,
  type Trial,
} from './schedule';

describe('the plan of a benchmark run', () => {
  it.each([
    {
      options: {},
      expected: {
        fixedRates: [10, 100, 500],
        stepSeconds: 30,
        sustainSeconds: 60,
        maxSustainTrials: 4,
        fanOut: 10,
      },
    },
    {
      options: { quick: true },
      expected: {
        fixedRates: [10, 100, 500],
        stepSeconds: 3,
        sustainSeconds: 3,
        maxSustainTrials: 1,
        fanOut: 10,
      },
    },
    {
      options: { quick: true, fixedRates: [50, 10], stepSeconds: 2, maxSustainTrials: 0 },
      expected: {
        fixedRates: [10, 50],
        stepSeconds: 2,
        sustainSeconds: 3,
        maxSustainTrials: 0,
        fanOut: 10,
      },
    },
    {
      options: { sustainSeconds: 90, fanOut: 3 },
      expected: {
        fixedRates: [10, 100, 500],
        stepSeconds: 30,
        sustainSeconds: 90,
        maxSustainTrials: 4,
        fanOut: 3,
      },
    },
  ])('$options', ({ options, expected }) => {
    expect(planBench(options)).toMatchObject(expected);
  });

  it.each([{ fixedRates: [0] }, { fixedRates: [-5] }, { stepSeconds: 0 }, { fanOut: 0 }])(
    'refuses %j',
    (options) => {
      expect(() => planBench(options)).toThrow();
    },
  );
});

const t = (rate: number, passed: boolean, sustained = true): Trial => ({ rate, passed, sustained });
const LADDER = DEFAULT_LADDER;

describe('the search for the highest rate sustained with zero loss', () => {
  it.each<{ name: string; trials: Trial[]; max?: number; expected: number | undefined }>([
    {
      name: 'every fixed rate passed: step up fast',
      trials: [t(10, true, false), t(100, true, false), t(500, true, false)],
      expected: 1_000,
    },
    {
      name: '500 failed, 100 passed: the middle between',
      trials: [t(10, true, false), t(100, true, false), t(500, false, false)],
      expected: 200,
    },
    {
      name: 'narrowed to nothing between: confirm the pass with a sustained trial',
      trials: [t(100, true, false), t(150, false)],
      expected: 100,
    },
    {
      name: 'the highest pass was sustained and its neighbour failed: over',
      trials: [t(100, true), t(150, false)],
      expected: undefined,
    },
    {
      name: 'the confirmation failed: search below it',
      trials: [t(10, true, false), t(100, true, false), t(150, false), t(100, false)],
      expected: 50,
    },
    {
      name: 'even the lowest rate failed: nothing to try',
      trials: [t(10, false, false)],
      expected: undefined,
    },
    {
      name: 'out of trials',
      trials: [t(100, true, false), t(1_000, true), t(1_500, false)],
      max: 2,
      expected: undefined,
    },
    {
      name: 'the top of the ladder passed: confirmed, over',
      trials: [t(2_000, true)],
      expected: undefined,
    },
  ])('$name', ({ trials, max, expected }) => {
    expect(nextSustainedRate(LADDER, trials, max ?? 4)).toBe(expected);
  });

  it.each([
    { trials: [t(100, true, false), t(200, true), t(300, false)], expected: 200 },
    { trials: [t(100, true, false)], expected: undefined },
    { trials: [t(50, true), t(75, true), t(100, false)], expected: 75 },
  ])('the answer is the highest sustained pass: $expected', ({ trials, expected }) => {
    expect(maxSustainedRate(trials)).toBe(expected);
  });
});
