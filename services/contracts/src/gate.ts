import { isDeepStrictEqual } from 'node:util';
import type { CatalogueEntry } from './catalogue';
import { checkCompatibility, describeProblem } from './domain/compatibility';
import { checkHouseRules } from './domain/rules';

/**
 * The compatibility gate of the test command: every schema keeps the house rules, is
 * FULL_TRANSITIVE-compatible with every earlier version in schemas/history, and its newest
 * history entry is the schema itself (so the next change is checked against it).
 * Returns one line per problem; empty means the gate passes.
 */
export function runGate(catalogue: readonly CatalogueEntry[]): string[] {
  const problems: string[] = [];
  for (const entry of catalogue) {
    for (const v of checkHouseRules(entry.schema as never))
      problems.push(`${entry.subject}: ${v.path} ${v.message}`);
    for (const p of checkCompatibility(entry.schema, entry.history))
      problems.push(describeProblem(entry.subject, p));
    const newest = entry.history[entry.history.length - 1];
    if (!newest || !isDeepStrictEqual(newest.schema, entry.schema)) {
      problems.push(
        `${entry.subject}: ${entry.file} differs from its newest version in schemas/history; run \`node services/contracts/dist/cli.js snapshot\` to record it`,
      );
    }
  }
  return problems;
}
