#!/usr/bin/env node
/* eslint-disable no-console -- this is the auditor's command line */
import { Command } from 'commander';
import { auditCommands } from './commands';

auditCommands(
  new Command('exchange-audit').description("Export and verify the Alert Exchange's audit trail."),
)
  .parseAsync()
  .catch((error: unknown) => {
    console.error(`exchange-audit: ${(error as Error).message}`);
    process.exit(2);
  });
