import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBench } from './domain/schedule';
import { runBench } from './run/bench';
import { writeReport } from './run/output';

/**
 * The benchmark in its quickest mode against a real exchange of its own (broker, Redis,
 * schema registry, the four services, ten webhook recipients): the report is produced and
 * well formed. Its figures are the machine's, never asserted.
 */
describe('the benchmark', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-report-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('measures the floor and the exchange and writes JSON, Markdown and an SVG chart', async () => {
    const plan = planBench({ quick: true, fixedRates: [10], stepSeconds: 2, sustainSeconds: 2 });
    const report = await runBench(plan, { quick: true });
    const files = writeReport(report, out);

    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.floor.map((s) => [s.kind, s.phase, s.targetRate])).toEqual([
      ['floor', 'fixed', 10],
    ]);
    expect(report.exchange[0]).toMatchObject({ kind: 'exchange', phase: 'fixed', targetRate: 10 });
    for (const step of [...report.floor, ...report.exchange]) {
      expect(step.figures.sent).toBeGreaterThan(0);
      expect(step.figures.expectedDeliveries).toBe(step.figures.accepted * plan.fanOut);
      expect(step.figures.delivery.count).toBe(step.figures.delivered);
      expect(step.processes.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          'gateway',
          'router',
          'dispatcher',
          'audit',
          'kafka',
          'redis',
          'bench',
        ]),
      );
    }
    // Ten recipients each got every accepted alert of the exchange step, and acknowledged it.
    const exchangeStep = report.exchange[0]!;
    expect(exchangeStep.figures.delivered).toBe(exchangeStep.figures.expectedDeliveries);
    expect(exchangeStep.figures.acknowledged).toBe(exchangeStep.figures.delivered);
    expect(report.ratios.map((r) => r.rate)).toEqual([10]);
    expect(report.goals).toHaveLength(3);

    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json).toMatchObject({ version: 1, quick: true, plan: { fanOut: 10 } });
    expect(readFileSync(files.markdown, 'utf8')).toContain('## Exchange to floor');
    expect(readFileSync(files.chart, 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>$/);
    for (const latest of ['latest.json', 'latest.md', 'latest.svg'])
      expect(existsSync(join(out, latest))).toBe(true);
  }, 900_000);
});
