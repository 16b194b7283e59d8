#!/usr/bin/env node
/* eslint-disable no-console -- this is the integrator's command line */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ExchangeClient } from '@alert-exchange/client';
import { problemFor } from '@alert-exchange/platform';
import { capAdapterConfig } from './config';
import { exportCap } from './export-cap';
import { importCap } from './import-cap';
import { MessageStore } from './store/message-store';

/**
 * The CAP 1.2 adapter's command line (docs/CAP.md): `import` publishes CAP files as
 * exchange events, in the order given; `export` writes a case as CAP XML. A refused
 * document is printed as RFC 9457 problem+json naming the CAP element, exit code 1.
 */

const list = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

async function withAdapter<T>(
  run: (deps: { exchange: ExchangeClient; store: MessageStore; sender: string }) => Promise<T>,
): Promise<void> {
  try {
    const config = capAdapterConfig(process.env);
    const exchange = new ExchangeClient({ baseUrl: config.exchangeUrl, apiKey: config.apiKey });
    const store = await MessageStore.open(config.stateFile);
    await run({ exchange, store, sender: config.sender });
  } catch (error) {
    // Our refusals as problem+json; the exchange's own problem when it answered one;
    // anything else (configuration, a file that cannot be read) as its message.
    const problem = problemFor(error);
    const answered = (error as { problem?: object }).problem;
    if (problem.status !== 500) console.error(JSON.stringify(problem, null, 2));
    else if (answered) console.error(JSON.stringify(answered, null, 2));
    else console.error(String(error));
    process.exitCode = 1;
  }
}

const program = new Command('exchange-cap').description(
  'Import OASIS CAP 1.2 alerts into the Alert Exchange and export cases as CAP 1.2',
);

program
  .command('import')
  .description('publish CAP files (- for standard input) as exchange events, in order')
  .argument('<files...>')
  .action((files: string[]) =>
    withAdapter(async (deps) => {
      for (const file of files) {
        const xml = file === '-' ? readFileSync(0, 'utf8') : await readFile(file, 'utf8');
        const imported = await importCap(xml, deps);
        console.log(JSON.stringify({ file, ...imported }));
      }
    }),
  );

program
  .command('export')
  .description('write a case as a CAP 1.2 alert (the originator or an operator)')
  .argument('<caseId>')
  .requiredOption('--to <ids>', 'recipient organisation ids (addresses), comma-separated')
  .option('--lang <tags>', 'languages of the info blocks besides the descriptions', '')
  .option('--out <file>', 'write to this file instead of standard output')
  .action((caseId: string, options: { to: string; lang: string; out?: string }) =>
    withAdapter(async (deps) => {
      const xml = await exportCap(caseId, {
        ...deps,
        recipients: list(options.to),
        languages: list(options.lang),
      });
      if (options.out) await writeFile(options.out, xml);
      else console.log(xml);
    }),
  );

void program.parseAsync();
