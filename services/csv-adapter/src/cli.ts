#!/usr/bin/env node
/* eslint-disable no-console -- this is the integrator's command line */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError } from 'commander';
import { ExchangeClient } from '@alert-exchange/client';
import { csvAdapterConfig } from './config';
import { inboundPass } from './inbound';
import { folders } from './folders';
import { outboundPass } from './outbound';
import { InboundState } from './store/inbound-state';
import { OutboundState } from './store/outbound-state';

/**
 * The legacy-system adapter's command line (docs/LEGACY-ADAPTER.md): `outbound` publishes
 * the CSV files a case system drops into a folder, `inbound` writes the pull inbox's
 * deliveries as files the case system reads. Each prints counts as JSON lines, never a
 * cell of a row: the rows are children's data.
 */

const seconds = (text: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('a number of seconds');
  return value;
};

/** Aborted by SIGINT or SIGTERM: the pass in progress finishes its row, then stops. */
function stopSignal(): AbortSignal {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  return stop.signal;
}

async function withExchange(run: (exchange: ExchangeClient) => Promise<void>): Promise<void> {
  try {
    const config = csvAdapterConfig(process.env);
    await run(
      new ExchangeClient({
        baseUrl: config.exchangeUrl,
        apiKey: config.apiKey,
        userAgent: 'exchange-csv/0.1',
      }),
    );
  } catch (error) {
    // The exchange's problem when it answered one (its title and status, no data),
    // else the message (configuration, a folder that cannot be read).
    const { status, title } = error as { status?: number; title?: string };
    console.error(status ? JSON.stringify({ status, title }) : String(error));
    process.exitCode = 1;
  }
}

const program = new Command('exchange-csv').description(
  'Connect a case system that reads and writes files to the Alert Exchange',
);

program
  .command('outbound')
  .description('publish the CSV files dropped into --dir, in name order')
  .requiredOption('--dir <dir>', 'the folder the case system drops CSV files into')
  .option('--watch', 'keep going: look for new files every --every seconds')
  .option('--every <seconds>', 'how often --watch looks', seconds, 10)
  .action((options: { dir: string; watch?: boolean; every: number }) =>
    withExchange(async (exchange) => {
      const state = await OutboundState.open(folders(options.dir).outboundState);
      const signal = stopSignal();
      do {
        for (const report of await outboundPass(options.dir, { exchange, state }))
          console.log(JSON.stringify(report));
        if (options.watch) await sleep(options.every * 1000, undefined, { signal }).catch(() => {});
      } while (options.watch && !signal.aborted);
    }),
  );

program
  .command('inbound')
  .description('write the deliveries of the pull inbox into --dir/inbox, acknowledging each')
  .requiredOption('--dir <dir>', 'the folder whose inbox/ the case system reads')
  .option('--follow', 'keep going: long-poll the inbox until stopped')
  .action((options: { dir: string; follow?: boolean }) =>
    withExchange(async (exchange) => {
      const state = await InboundState.open(folders(options.dir).inboundState);
      const report = await inboundPass(
        options.dir,
        { exchange, state },
        { follow: options.follow ?? false, signal: stopSignal() },
      );
      console.log(JSON.stringify(report));
    }),
  );

void program.parseAsync();
