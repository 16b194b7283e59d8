#!/usr/bin/env node
/* eslint-disable no-console -- this is the operators' command line */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { auditCommands } from '@alert-exchange/audit';
import { ExchangeClient, ExchangeError } from '@alert-exchange/client';
import { replayProgress, table } from './domain/tables';
import { timeline } from './domain/timeline';

/**
 * `exchange`: the command line of operators and integrators (README "Operating"). It
 * speaks to the public API with the SDK (`@alert-exchange/client`, retries included),
 * with the key from EXCHANGE_API_KEY (never an argument: it would stay in shell history);
 * `exchange audit` verifies the trail offline with the auditor's own commands.
 */
interface Global {
  url: string;
  key?: string;
  json?: boolean;
}

const program = new Command('exchange')
  .description('Operate and integrate with the Alert Exchange')
  .addOption(
    new Option('--url <url>', 'the exchange’s public base URL')
      .env('EXCHANGE_URL')
      .default('http://127.0.0.1:8080'),
  )
  .addOption(
    new Option('--key <key>', 'an API key (better: EXCHANGE_API_KEY)').env('EXCHANGE_API_KEY'),
  )
  .option('--json', 'print JSON instead of text');

const globals = (): Global => program.opts<Global>();

function client(): ExchangeClient {
  const { url, key } = globals();
  if (!key) throw new Error('no API key: set EXCHANGE_API_KEY');
  return new ExchangeClient({ baseUrl: url, apiKey: key });
}

/** Prints `value` as JSON with --json, else the text lines. */
function print(value: unknown, lines: () => string[]): void {
  console.log(globals().json ? JSON.stringify(value, null, 2) : lines().join('\n'));
}

program
  .command('publish <file>')
  .description('Publish an alert (a POST /v1/alerts body) or, with --case, an event of a case')
  .option('--case <caseId>', 'publish the file as an event of this case')
  .option('--idempotency-key <key>', 'the key of this publication (one is made if absent)')
  .action(async (file: string, options: { case?: string; idempotencyKey?: string }) => {
    const body = JSON.parse(readFileSync(file, 'utf8')) as never;
    const post = options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {};
    const accepted = options.case
      ? await client().publishEvent(options.case, body, post)
      : await client().publishAlert(body, post);
    print(accepted, () => [
      `published: case ${accepted.caseId}, event ${accepted.eventId}, trace ${accepted.traceId}`,
    ]);
  });

program
  .command('trace <caseId>')
  .description("A case's audit trail as a timeline: who was told, when, why, what went wrong")
  .action(async (caseId: string) => {
    const trail = await client().caseTrail(caseId);
    print(trail, () => timeline(trail.entries));
  });

program
  .command('unacknowledged')
  .description('Deliveries not acknowledged, routed longer ago than --older-than')
  .option('--older-than <duration>', 'an ISO-8601 duration', 'PT0S')
  .action(async (options: { olderThan: string }) => {
    const deliveries = await client().unacknowledged(options.olderThan);
    print(deliveries, () => [
      ...table(
        ['routedAt', 'deliveryId', 'recipient', 'caseId', 'state'],
        deliveries.map((d) => [
          d.routedAt,
          d.deliveryId,
          d.recipient ?? '',
          d.caseId ?? '',
          d.state,
        ]),
      ),
      `${deliveries.length} unacknowledged`,
    ]);
  });

const deadLetters = program.command('dead-letters').description('Dead letters (operators)');

deadLetters
  .command('list')
  .description('Deliveries the exchange gave up on, newest first')
  .option('--recipient <id>', 'only those of this recipient')
  .option('--since <time>', 'only those dead-lettered at or after this ISO-8601 time')
  .action(async (options: { recipient?: string; since?: string }) => {
    const letters = await client().deadLetters({
      ...(options.recipient ? { recipientId: options.recipient } : {}),
      ...(options.since ? { since: options.since } : {}),
    });
    print(letters, () => [
      ...table(
        ['deadLetteredAt', 'deliveryId', 'recipient', 'caseId', 'attempts', 'lastError'],
        letters.map((l) => [
          l.deadLetteredAt,
          l.deliveryId,
          l.recipientId,
          l.caseId,
          String(l.attempts),
          l.lastError,
        ]),
      ),
      `${letters.length} dead letters`,
    ]);
  });

deadLetters
  .command('replay')
  .description('Send dead letters again, and follow until each has left the list')
  .option('--delivery <id>', 'this dead letter')
  .option('--recipient <id>', 'the dead letters of this recipient')
  .option('--since <time>', 'those dead-lettered at or after this ISO-8601 time')
  .option('--wait <seconds>', 'how long to follow the replay', '120')
  .action(
    async (options: { delivery?: string; recipient?: string; since?: string; wait: string }) => {
      const exchange = client();
      const accepted = await exchange.replayDeadLetters({
        ...(options.delivery ? { deliveryId: options.delivery } : {}),
        ...(options.recipient ? { recipientId: options.recipient } : {}),
        ...(options.since ? { since: options.since } : {}),
      });
      const asked = accepted.deliveryIds;
      const bar = globals().json
        ? undefined
        : new SingleBar({ format: 'replaying [{bar}] {value}/{total} dead letters sent again' });
      bar?.start(asked.length, 0);
      const deadline = Date.now() + Number(options.wait) * 1_000;
      let done = 0;
      while (done < asked.length && Date.now() < deadline) {
        const still = new Set((await exchange.deadLetters()).map((l) => l.deliveryId));
        done = replayProgress(asked, still);
        bar?.update(done);
        if (done < asked.length) await sleep(500);
      }
      bar?.stop();
      print({ ...accepted, replayed: done }, () => [
        `request ${accepted.requestId}: ${done} of ${asked.length} dead letters sent again`,
      ]);
      if (done < asked.length) process.exitCode = 1;
    },
  );

program
  .command('directory [id]')
  .description('The organisations of the directory, or one of them (operators)')
  .action(async (id?: string) => {
    if (id) {
      const organisation = await client().organisation(id);
      print(organisation, () => [JSON.stringify(organisation, null, 2)]);
      return;
    }
    const organisations = await client().organisations();
    print(organisations, () => [
      ...table(
        ['id', 'country', 'roles', 'delivery', 'ackWithin'],
        organisations.map((o) => [
          o.id,
          o.country,
          o.roles.join(','),
          o.delivery.mode,
          o.ackWithin,
        ]),
      ),
      `${organisations.length} organisations`,
    ]);
  });

auditCommands(
  program.command('audit').description('Export and verify the audit trail offline (auditors)'),
);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ExchangeError) {
    console.error(`exchange: ${error.message}`);
  } else {
    console.error(`exchange: ${(error as Error).message}`);
  }
  process.exit(2);
});
