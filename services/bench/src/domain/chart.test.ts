import { decades, renderChart, reportChart } from './chart';
import { MACHINE, PLAN, step } from './fixtures.test-helper';
import { buildReport } from './report';

describe('the chart axis: powers of ten around the figures', () => {
  it.each([
    { min: 3, max: 250, expected: [1, 10, 100, 1_000] },
    { min: 10, max: 100, expected: [10, 100] },
    { min: 12, max: 15, expected: [10, 100] },
    { min: 0, max: 0.5, expected: [0.1, 1] },
    { min: 0.5, max: 40_000, expected: [0.1, 1, 10, 100, 1_000, 10_000, 100_000] },
  ])('$min..$max ms: $expected', ({ min, max, expected }) => {
    expect(decades(min, max)).toEqual(expected);
  });
});

describe('the latency chart', () => {
  it.each([
    {
      name: 'a line per series with a point per rate',
      rates: [10, 100, 500],
      values: [
        [10, 5],
        [100, 8],
        [500, 30],
      ],
      points: 3,
    },
    {
      name: 'a missing or NaN figure is a gap',
      rates: [10, 100, 500],
      values: [
        [10, 5],
        [100, NaN],
      ],
      points: 1,
    },
    { name: 'one rate alone is centred', rates: [100], values: [[100, 8]], points: 1 },
  ])('$name', ({ rates, values, points }) => {
    const svg = renderChart('t', rates, [
      { name: 'p99 <b>', colour: '#000', values: new Map(values as [number, number][]) },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<circle /g)?.length ?? 0).toBe(points);
    expect(svg).toContain('p99 &lt;b&gt;');
    expect(svg).not.toContain('NaN');
  });

  it('draws nothing but axes for a run without figures', () => {
    const svg = renderChart('empty', [], []);
    expect(svg).not.toContain('<polyline');
    expect(svg).not.toContain('NaN');
  });

  it("the report's chart has floor, delivered and acknowledged lines at the fixed rates", () => {
    const svg = reportChart(
      buildReport({
        startedAt: new Date('2026-12-04T15:00:00Z'),
        finishedAt: new Date('2026-12-04T15:10:00Z'),
        quick: true,
        machine: MACHINE,
        plan: PLAN,
        floor: [step('floor', 'fixed', 10, 4), step('floor', 'fixed', 100, 5)],
        exchange: [
          step('exchange', 'fixed', 10, 40),
          step('exchange', 'fixed', 100, 60),
          step('exchange', 'sustain', 150, 60),
        ],
      }),
    );
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    for (const name of ['floor p99', 'delivered p99', 'acknowledged p99'])
      expect(svg).toContain(name);
    expect(svg).toContain('100/s');
    expect(svg).not.toContain('150/s');
  });
});
