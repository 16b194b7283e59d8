#!/usr/bin/env node
/* eslint-disable no-console -- this is the benchmark's command line */
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { repoRoot } from '@alert-exchange/devstack';
import { renderMarkdown } from './domain/markdown';
import { planBench } from './domain/schedule';
import { runBench } from './run/bench';
import { writeReport } from './run/output';

const list = (text: string): number[] => text.split(',').map((r) => Number(r.trim()));

const program = new Command('exchange-bench')
  .description(
    'Measure the exchange (HTTP publish to webhook delivered and acknowledged, fan-out 10) against the raw Kafka floor on the same broker; writes JSON, Markdown and an SVG chart.',
  )
  .option('--quick', 'a few seconds per step and one sustained trial (development, the test)')
  .option('--rates <list>', 'fixed rates in alerts/s, comma-separated (default 10,100,500)')
  .option('--step-seconds <n>', 'seconds of publishing per fixed-rate step (default 30; quick 3)')
  .option(
    '--sustain-seconds <n>',
    'seconds per trial of the sustained-rate search (default 60; quick 3)',
  )
  .option('--trials <n>', 'trials of the sustained-rate search at most (default 4; quick 1)')
  .option('--fan-out <n>', 'webhook recipients per alert (default 10)')
  .option('--out <dir>', 'where the reports go', join(repoRoot(), 'reports', 'bench'))
  .action(
    async (o: {
      quick?: boolean;
      rates?: string;
      stepSeconds?: string;
      sustainSeconds?: string;
      trials?: string;
      fanOut?: string;
      out: string;
    }) => {
      const plan = planBench({
        quick: o.quick ?? false,
        ...(o.rates ? { fixedRates: list(o.rates) } : {}),
        ...(o.stepSeconds ? { stepSeconds: Number(o.stepSeconds) } : {}),
        ...(o.sustainSeconds ? { sustainSeconds: Number(o.sustainSeconds) } : {}),
        ...(o.trials ? { maxSustainTrials: Number(o.trials) } : {}),
        ...(o.fanOut ? { fanOut: Number(o.fanOut) } : {}),
      });
      const bar = new SingleBar({
        format:
          ' {bar} {percentage}% | {value}/{total} s of publishing | ETA {eta_formatted} | {phase}',
        hideCursor: true,
        etaBuffer: 20,
        // Run in the background (output to a file): a line every 10 s instead of a bar.
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      });
      bar.start(1, 0, { phase: 'starting' });
      let total = 1;
      const report = await runBench(plan, {
        quick: o.quick ?? false,
        ...(process.env.REGISTRY_JAVA_HOME
          ? { registryJavaHome: process.env.REGISTRY_JAVA_HOME }
          : {}),
        progress: {
          total: (seconds) => {
            total = Math.ceil(seconds);
            bar.setTotal(total);
          },
          phase: (phase) => bar.update({ phase }),
          done: (seconds) => bar.update(Math.min(total, Math.floor(seconds))),
        },
      }).finally(() => bar.stop());
      const files = writeReport(report, resolve(o.out));
      console.log(`\n${renderMarkdown(report)}`);
      console.log(`Reports: ${files.json}\n         ${files.markdown}\n         ${files.chart}`);
    },
  );

program.parseAsync().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
