import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportChart } from '../domain/chart';
import { renderMarkdown } from '../domain/markdown';
import type { BenchReport } from '../domain/report';

/** The files a run wrote. */
export interface WrittenReport {
  readonly json: string;
  readonly markdown: string;
  readonly chart: string;
}

/**
 * Writes the report as `bench-<time>.json`, `.md` and `.svg` into `dir` (reports/bench,
 * git-ignored), and the same again as `latest.*`.
 */
export function writeReport(report: BenchReport, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const svg = reportChart(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  let written: WrittenReport | undefined;
  for (const name of [`bench-${stamp}`, 'latest']) {
    const files = {
      json: join(dir, `${name}.json`),
      markdown: join(dir, `${name}.md`),
      chart: join(dir, `${name}.svg`),
    };
    writeFileSync(files.json, json);
    writeFileSync(files.chart, svg);
    writeFileSync(files.markdown, renderMarkdown(report, `${name}.svg`));
    written ??= files;
  }
  return written!;
}
