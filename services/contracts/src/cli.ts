#!/usr/bin/env node
/* eslint-disable no-console -- this is the operator's command line */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command } from 'commander';
import { GENERATED_TYPES, loadCatalogue, SCHEMAS_DIR } from './catalogue';
import { generateTypeScript } from './domain/typescript';
import { runGate } from './gate';
import { registerCatalogue } from './registry/register';

const program = new Command('exchange-schemas').description("The exchange's Avro schemas.");
program
  .command('gate')
  .description(
    'Check every schema against the house rules and all its earlier versions (FULL_TRANSITIVE)',
  )
  .action(() => {
    const problems = runGate(loadCatalogue());
    for (const p of problems) console.error(p);
    if (problems.length > 0) process.exit(1);
    console.log('every schema is compatible with its history');
  });
program
  .command('snapshot')
  .description(
    'Record each changed schema as a new version in schemas/history (after the gate passes)',
  )
  .action(() => {
    for (const entry of loadCatalogue()) {
      const newest = entry.history[entry.history.length - 1];
      if (newest && isDeepStrictEqual(newest.schema, entry.schema)) continue;
      const dir = join(SCHEMAS_DIR, 'history', entry.fullName);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `v${entry.history.length + 1}.avsc`);
      writeFileSync(file, `${JSON.stringify(entry.schema, null, 2)}\n`);
      console.log(`recorded ${file}`);
    }
  });
program
  .command('types')
  .description('Regenerate the TypeScript types from schemas/*.avsc')
  .action(() => {
    mkdirSync(join(GENERATED_TYPES, '..'), { recursive: true });
    writeFileSync(
      GENERATED_TYPES,
      generateTypeScript(loadCatalogue().map((e) => e.schema as never)),
    );
    console.log(`wrote ${GENERATED_TYPES}`);
  });
program
  .command('register')
  .description(
    'Register every schema with the registry at FULL_TRANSITIVE; fails naming a refused schema',
  )
  .option(
    '--registry <url>',
    'Confluent-compatible registry API base URL',
    process.env.SCHEMA_REGISTRY_URL,
  )
  .action(async (opts: { registry?: string }) => {
    if (!opts.registry) throw new Error('SCHEMA_REGISTRY_URL (or --registry) is required');
    for (const r of await registerCatalogue(opts.registry.replace(/\/+$/, ''), loadCatalogue())) {
      console.log(`${r.subject} → schema id ${r.id}`);
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
