#!/usr/bin/env node
/* eslint-disable no-console -- a command of the test run: its output is its report */
/**
 * `pnpm run audit:deps` (part of the test command): `pnpm audit --json` over every
 * workspace package, judged against infra/audit-allowlist.json (docs/SECURITY.md,
 * "Dependency audit"). Exits 1 on an unaccepted advisory of moderate severity or worse,
 * on an accepted one past its date, or on a malformed allowlist. When the registry gives
 * no advisories (this machine's registry answers its audit endpoints 405), it says so as
 * BLOCKED and exits 0, unless AUDIT_REQUIRED=true: nothing was checked, and it does not
 * pretend otherwise.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allowlistProblems,
  FAILING_FROM,
  judgeAudit,
  parsePnpmAudit,
  type AllowEntry,
} from './dependency-audit';
import { repoRoot } from './paths';

function main(): number {
  const root = repoRoot();
  const allowlistFile = join(root, 'infra', 'audit-allowlist.json');
  const allowlist = JSON.parse(readFileSync(allowlistFile, 'utf8')) as unknown;
  const problems = allowlistProblems(allowlist);
  if (problems.length > 0) {
    console.error(`dependency audit: ${allowlistFile} is not valid:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const entries = (allowlist as { accepted: AllowEntry[] }).accepted;
  const run = spawnSync('pnpm', ['audit', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = parsePnpmAudit(run.error ? String(run.error) : run.stdout);
  if ('unavailable' in parsed) {
    const required = process.env.AUDIT_REQUIRED === 'true';
    console.log(
      `dependency audit: BLOCKED, nothing was checked: the registry gave no advisories (${parsed.unavailable}).` +
        ` ${entries.length} allowlist entries not evaluated.` +
        (required ? '' : ' Set AUDIT_REQUIRED=true to fail on this.'),
    );
    return required ? 1 : 0;
  }
  const today = new Date().toISOString().slice(0, 10);
  const judgement = judgeAudit(parsed.advisories, entries, today);
  const line = (a: { id: string; module: string; severity: string; title: string }) =>
    `  ${a.severity.padEnd(8)} ${a.module} ${a.id}: ${a.title}`;
  for (const a of judgement.failing) console.log(`FAIL${line(a)}`);
  for (const e of judgement.expired)
    console.log(`FAIL  accepted until ${e.expires}, now past: ${e.module} ${e.id}`);
  for (const { advisory, entry } of judgement.accepted)
    console.log(`ok  ${line(advisory)} (accepted until ${entry.expires}: ${entry.reason})`);
  for (const a of judgement.reported) console.log(`note${line(a)}`);
  for (const e of judgement.unused)
    console.log(`note  allowlist entry matches nothing, remove it: ${e.module} ${e.id}`);
  console.log(
    `dependency audit: ${parsed.advisories.length} advisories, ${judgement.failing.length} failing (${FAILING_FROM} or worse, unaccepted), ` +
      `${judgement.accepted.length} accepted, ${judgement.expired.length} expired entries: ${judgement.passed ? 'passed' : 'FAILED'}`,
  );
  return judgement.passed ? 0 : 1;
}

process.exitCode = main();
