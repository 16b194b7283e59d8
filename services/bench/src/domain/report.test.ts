import { MACHINE, PLAN, step } from './fixtures.test-helper';
import { buildReport, judgeGoals, ratios } from './report';
import { planBench } from './schedule';

const floor = [
  step('floor', 'fixed', 10, 4),
  step('floor', 'fixed', 100, 5),
  step('floor', 'fixed', 500, 20),
];

describe('the exchange-to-floor ratios', () => {
  it('pairs each fixed-rate exchange step with the floor at its rate', () => {
    const exchange = [
      step('exchange', 'fixed', 10, 40),
      step('exchange', 'fixed', 100, 14),
      step('exchange', 'sustain', 200, 30),
    ];
    const found = ratios(floor, exchange);
    expect(found.map((r) => r.rate)).toEqual([10, 100]);
    // floor at 10/s: deliveries 4..13 ms after send; exchange 40..49 ms
    expect(found[0]!.p50).toBeCloseTo(44 / 8, 6);
    expect(found[0]!.p99).toBeCloseTo(49 / 13, 6);
  });

  it('a rate the floor did not measure has no ratio', () => {
    expect(ratios(floor, [step('exchange', 'fixed', 50, 40)])).toEqual([]);
  });
});

describe("issue 11's goals, judged from the figures", () => {
  it.each([
    {
      name: 'all met',
      exchange: [
        step('exchange', 'fixed', 100, 10),
        step('exchange', 'sustain', 1_000, 20, { alerts: 1_000 }),
      ],
      floorSteps: [step('floor', 'fixed', 100, 5)],
      expected: [true, true, true],
    },
    {
      name: 'slow at 100/s, nothing sustained, far above the floor',
      exchange: [
        step('exchange', 'fixed', 100, 400),
        step('exchange', 'sustain', 200, 30, { lose: 1 }),
      ],
      floorSteps: [step('floor', 'fixed', 100, 5)],
      expected: [false, false, false],
    },
    {
      name: 'sustained below the goal',
      exchange: [step('exchange', 'fixed', 100, 10), step('exchange', 'sustain', 500, 20)],
      floorSteps: [step('floor', 'fixed', 100, 5)],
      expected: [true, false, true],
    },
    {
      name: 'nothing measured at 100/s decides nothing',
      exchange: [step('exchange', 'fixed', 10, 10)],
      floorSteps: [],
      expected: [undefined, false, undefined],
    },
  ])('$name', ({ exchange, floorSteps, expected }) => {
    const report = buildReport({
      startedAt: new Date('2026-12-04T15:00:00Z'),
      finishedAt: new Date('2026-12-04T15:10:00Z'),
      quick: false,
      machine: MACHINE,
      plan: PLAN,
      floor: floorSteps,
      exchange,
    });
    expect(report.goals.map((g) => g.met)).toEqual(expected);
  });

  it('a quick run (short sustained trials) does not decide the throughput goal', () => {
    const quick = planBench({ quick: true });
    const exchange = [step('exchange', 'sustain', 1_000, 20, { alerts: 1_000 })];
    expect(judgeGoals(quick, exchange, [], 1_000)[1]!.met).toBeUndefined();
  });
});

describe('the report of a run', () => {
  it('names the machine, the plan, every step, the highest sustained rate, ratios and goals', () => {
    const exchange = [
      step('exchange', 'fixed', 10, 30),
      step('exchange', 'fixed', 100, 50),
      step('exchange', 'fixed', 500, 900, { lose: 3 }),
      step('exchange', 'sustain', 200, 60),
      step('exchange', 'sustain', 300, 60, { lose: 1 }),
    ];
    const report = buildReport({
      startedAt: new Date('2026-12-04T15:00:00Z'),
      finishedAt: new Date('2026-12-04T15:10:00Z'),
      quick: false,
      machine: MACHINE,
      plan: PLAN,
      floor,
      exchange,
    });
    expect(report).toMatchObject({
      version: 1,
      startedAt: '2026-12-04T15:00:00.000Z',
      machine: MACHINE,
      maxSustainedRate: 200,
    });
    expect(report.ratios.map((r) => r.rate)).toEqual([10, 100, 500]);
    expect(report.goals).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({
      floor: expect.any(Array),
      exchange: expect.any(Array),
    });
  });
});
