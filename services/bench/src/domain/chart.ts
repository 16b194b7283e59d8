import type { BenchReport, StepResult } from './report';

/** One line of the chart: a value per rate (NaN or absent: a gap). */
export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly dashed?: boolean;
  readonly values: ReadonlyMap<number, number>;
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 190, top: 40, bottom: 50 };

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Powers of ten spanning [min, max] (at least one decade). */
export function decades(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(Math.max(min, 0.1)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(max, 0.1))));
  return Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
}

/**
 * A line chart of latency (ms, logarithmic) against rate (alerts/s, one column per rate),
 * as a self-contained SVG document.
 */
export function renderChart(
  title: string,
  rates: readonly number[],
  series: readonly Series[],
): string {
  const values = series
    .flatMap((s) => [...s.values.values()])
    .filter((v) => Number.isFinite(v) && v > 0);
  const ticks = decades(
    values.length ? Math.min(...values) : 1,
    values.length ? Math.max(...values) : 10,
  );
  const [lowLog, highLog] = [Math.log10(ticks[0]!), Math.log10(ticks[ticks.length - 1]!)];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number): number =>
    MARGIN.left + (rates.length <= 1 ? plotW / 2 : (i * plotW) / (rates.length - 1));
  const y = (v: number): number =>
    MARGIN.top +
    plotH -
    ((Math.log10(Math.max(v, ticks[0]!)) - lowLog) / (highLog - lowLog)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15">${escape(title)}</text>`,
  ];
  for (const t of ticks) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t >= 1 ? t : t.toFixed(1)} ms</text>`,
    );
  }
  rates.forEach((r, i) =>
    out.push(
      `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${r}/s</text>`,
    ),
  );
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">alerts per second</text>`,
  );
  series.forEach((s, k) => {
    const points = rates
      .map((r, i) => [i, s.values.get(r)] as const)
      .filter(
        (p): p is readonly [number, number] =>
          p[1] !== undefined && Number.isFinite(p[1]) && p[1] > 0,
      )
      .map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (points.length > 0)
      out.push(
        `<polyline fill="none" stroke="${s.colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
        ...points.map((p) => {
          const [cx, cy] = p.split(',');
          return `<circle cx="${cx}" cy="${cy}" r="3" fill="${s.colour}"/>`;
        }),
      );
    const ly = MARGIN.top + 10 + k * 20;
    const lx = WIDTH - MARGIN.right + 15;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${escape(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The report's chart: floor and exchange latency at each fixed rate. */
export function reportChart(report: BenchReport): string {
  const fixed = report.exchange.filter((s) => s.phase === 'fixed');
  const rates = [...new Set([...report.floor, ...fixed].map((s) => s.targetRate))].sort(
    (a, b) => a - b,
  );
  const of = (steps: readonly StepResult[], pick: (s: StepResult) => number) =>
    new Map(steps.map((s) => [s.targetRate, pick(s)]));
  return renderChart(
    `Latency, fan-out ${report.plan.fanOut} (${report.startedAt.slice(0, 10)})`,
    rates,
    [
      {
        name: 'floor p50',
        colour: '#999',
        dashed: true,
        values: of(report.floor, (s) => s.figures.delivery.p50),
      },
      {
        name: 'floor p99',
        colour: '#555',
        values: of(report.floor, (s) => s.figures.delivery.p99),
      },
      {
        name: 'delivered p50',
        colour: '#4a90d9',
        dashed: true,
        values: of(fixed, (s) => s.figures.delivery.p50),
      },
      {
        name: 'delivered p99',
        colour: '#1f5fa8',
        values: of(fixed, (s) => s.figures.delivery.p99),
      },
      {
        name: 'acknowledged p99',
        colour: '#d9822b',
        values: of(fixed, (s) => s.figures.acknowledgement.p99),
      },
    ],
  );
}
