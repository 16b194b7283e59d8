#!/usr/bin/env node
/* eslint-disable no-console -- this is the operator's command line */
import { join } from 'node:path';
import { Command } from 'commander';
import { connectAdmin, createKafka, createLogger } from '@alert-exchange/platform';
import { loadTopicDeclaration } from './declaration';
import { provisionTopics } from './kafka/apply';

const program = new Command('exchange-provision').description(
  'Provision the exchange on a Kafka cluster.',
);
program
  .command('topics')
  .description(
    'Create or update every topic declared in infra/topics.yaml; a second run changes nothing',
  )
  .option('--brokers <list>', 'comma-separated bootstrap brokers', process.env.KAFKA_BROKERS)
  .option(
    '--file <path>',
    'topics declaration',
    join(__dirname, '..', '..', '..', 'infra', 'topics.yaml'),
  )
  .option('--prefix <prefix>', 'prefix every topic name (for isolated test runs)', '')
  .option('--dry-run', 'report what would change without changing it', false)
  .option(
    '--countries <list>',
    'more countries (alpha-2) that need an alerts topic, e.g. ones the directory names',
    '',
  )
  .action(
    async (opts: {
      brokers?: string;
      file: string;
      prefix: string;
      dryRun: boolean;
      countries: string;
    }) => {
      if (!opts.brokers) throw new Error('KAFKA_BROKERS (or --brokers) is required');
      const brokers = opts.brokers.split(',').map((b) => b.trim());
      const logger = createLogger({ service: 'provisioning', level: 'warn' });
      const admin = await connectAdmin(
        createKafka({ clientId: 'provisioning', brokers, logger }),
        brokers,
      );
      try {
        const report = await provisionTopics(admin, loadTopicDeclaration(opts.file), {
          ...opts,
          extraCountries: opts.countries
            .split(',')
            .filter((c) => c.trim().length > 0)
            .map((c) => c.trim()),
        });
        for (const note of report.notes) console.log(`note: ${note}`);
        for (const line of report.changed) console.log(opts.dryRun ? `would have ${line}` : line);
        for (const w of report.warnings) console.log(`warning: ${w.name} ${w.message}`);
        console.log(
          `${report.changed.length} change(s), ${report.unchanged} topic(s) already as declared`,
        );
      } finally {
        await admin.disconnect();
      }
    },
  );

program.parseAsync().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
