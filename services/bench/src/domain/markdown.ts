import type { LatencySummary } from './percentiles';
import type { BenchReport, StepResult } from './report';

const num = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits);
const lat = (s: LatencySummary): string[] => [num(s.p50), num(s.p95), num(s.p99), num(s.max)];
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  row(head),
  row(head.map(() => '---')),
  ...rows.map(row),
];
const verdict = (s: StepResult): string =>
  s.verdict.passed ? 'held' : `**not held**: ${s.verdict.reasons.join('; ')}`;
const met = (m: boolean | undefined): string =>
  m === undefined ? 'not decided by this run' : m ? '**met**' : '**missed**';

/** The report as Markdown: machine, goals, floor, exchange, ratios, processes. */
export function renderMarkdown(report: BenchReport, chartFile?: string): string {
  const m = report.machine;
  const p = report.plan;
  const lines: string[] = [
    `# Benchmark: the exchange against the raw Kafka floor`,
    '',
    `${report.quick ? 'Quick run (a few seconds per step: figures are indicative only)' : 'Full run'}, ${report.startedAt} to ${report.finishedAt}.`,
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${num(m.memoryGb, 1)} GiB memory, Node ${m.node}, Linux ${m.kernel}; load average at the end ${m.loadAverage.join(', ')} (1, 5, 15 min: anything above the exchange's own share means the machine was shared).`,
    `Fan-out ${p.fanOut} (webhook recipients on loopback that verify every signature and acknowledge through the API); ${p.stepSeconds} s per fixed-rate step, ${p.sustainSeconds} s per sustained trial. Latencies in milliseconds, from the start of the alert's HTTP publish (the floor: of its Kafka send).`,
    '',
    '## Goals',
    '',
    ...table(
      ['goal', 'result', 'figure'],
      report.goals.map((g) => [g.goal, met(g.met), g.figure]),
    ),
    '',
    `Highest rate sustained with zero loss: ${report.maxSustainedRate === undefined ? 'none found' : `**${report.maxSustainedRate} alerts/s**`}.`,
    '',
  ];
  if (chartFile) lines.push(`![latency chart](${chartFile})`, '');
  lines.push(
    `## Floor: raw kafkajs, two hops (produce, relay ×${p.fanOut}, consume), same broker and payload size`,
    '',
    ...table(
      ['rate /s', 'achieved /s', 'p50', 'p95', 'p99', 'max', 'records /s', 'lost', 'verdict'],
      report.floor.map((s) => [
        String(s.targetRate),
        num(s.figures.achievedRate, 1),
        ...lat(s.figures.delivery),
        num(s.figures.deliveryRate),
        String(s.verdict.lost),
        verdict(s),
      ]),
    ),
    '',
    '## Exchange: HTTP publish to webhook delivered, and to acknowledged',
    '',
    ...table(
      [
        'step',
        'rate /s',
        'achieved /s',
        'delivered p50',
        'p95',
        'p99',
        'max',
        'acked p50',
        'p95',
        'p99',
        'max',
        'publish p99',
        'deliveries /s',
        'lost',
        'verdict',
      ],
      report.exchange.map((s) => [
        s.phase,
        String(s.targetRate),
        num(s.figures.achievedRate, 1),
        ...lat(s.figures.delivery),
        ...lat(s.figures.acknowledgement),
        num(s.figures.publish.p99),
        num(s.figures.deliveryRate),
        String(s.verdict.lost),
        verdict(s),
      ]),
    ),
    '',
    '## Exchange to floor (delivered latency)',
    '',
    ...table(
      ['rate /s', 'p50 ratio', 'p99 ratio'],
      report.ratios.map((r) => [String(r.rate), `${num(r.p50, 1)}×`, `${num(r.p99, 1)}×`]),
    ),
    '',
    '## Processes (CPU: % of one core over the step; peak RSS sampled during the step, MiB)',
    '',
  );
  const names = [
    ...new Set(
      [...report.floor, ...report.exchange].flatMap((s) => s.processes.map((u) => u.name)),
    ),
  ];
  lines.push(
    ...table(
      ['step', ...names.flatMap((n) => [`${n} CPU %`, `${n} RSS`])],
      [...report.floor, ...report.exchange].map((s) => [
        `${s.kind} ${s.phase} ${s.targetRate}/s`,
        ...names.flatMap((n) => {
          const u = s.processes.find((x) => x.name === n);
          return u ? [num(u.cpuPercent), num(u.peakRssMb)] : ['', ''];
        }),
      ]),
    ),
    '',
  );
  return lines.join('\n');
}
