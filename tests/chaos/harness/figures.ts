import type { ApiLedger, Publisher, Restart } from '@alert-exchange/testing';
import type { InvariantReport } from './invariant';

const seconds = (ms: number | undefined): string =>
  ms === undefined ? 'n/a' : `${(ms / 1_000).toFixed(1)} s`;

function recoverySummary(restarts: readonly Restart[]): string[] {
  const byService = new Map<string, Restart[]>();
  for (const r of restarts) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
  return [...byService].map(([service, rs]) => {
    const measured = rs.map((r) => r.recoveryMs).filter((m): m is number => m !== undefined);
    const sorted = [...measured].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return `${service}: ${rs.length} restarts; restart to ready ${seconds(
      Math.max(...rs.map((r) => r.readyAt - r.killedAt)),
    )} at most; ready to first progress median ${seconds(median)}, max ${seconds(
      sorted.at(-1),
    )} (${measured.length} measured)`;
  });
}

/**
 * Writes a scenario's figures to stdout as a table: alerts, deliveries expected and
 * received, raw repeats, lost, duplicates after de-duplication, retries, the API's
 * answers, the recovery time after each fault, and the total time.
 */
export function printFigures(
  title: string,
  report: InvariantReport,
  more: {
    publisher: Publisher;
    ledger: ApiLedger;
    ackRetries: number;
    restarts: readonly Restart[];
    totalMs: number;
    drainMs: number;
    extra: Record<string, string | number>;
  },
): void {
  const rows: Array<[string, string | number]> = [
    [
      'alerts published (accepted / refused)',
      `${report.alerts} (${report.accepted} / ${report.refused})`,
    ],
    ['deliveries expected', report.expected],
    ['deliveries received (distinct deliveryIds)', report.received],
    ['raw receipts (repeats: at-least-once re-sends)', `${report.rawReceipts} (${report.repeats})`],
    ['lost', report.lost],
    ['accepted events missing from Kafka', report.eventsMissing],
    ['duplicates after de-duplication', report.duplicates],
    ['unexpected deliveries', report.unexpected],
    ['acknowledged', `${report.acknowledged} of ${report.expected}`],
    ['webhook attempts that failed (ATTEMPTED facts)', report.failedAttempts],
    [
      'publisher retries (409 in progress)',
      `${more.publisher.retries} (${more.publisher.inProgressConflicts})`,
    ],
    ['acknowledgement retries', more.ackRetries],
    [
      '503 with Retry-After / no answer',
      `${more.ledger.unavailable} / ${more.ledger.connectionErrors}`,
    ],
    ['5xx outside documented unavailability', report.apiViolations],
    ['audit trail records (missing facts)', `${report.trailRecords} (${report.trailMissing})`],
    ['trail verified (chain, tree, signatures)', report.trailVerified ? 'yes' : 'NO'],
    ...Object.entries(more.extra),
    ['time to deliver and acknowledge everything', seconds(more.drainMs)],
    ['total time', seconds(more.totalMs)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    '',
    `== chaos: ${title}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '  recovery:',
    ...recoverySummary(more.restarts).map((l) => `    ${l}`),
    `  API answers: ${more.ledger.summary()}`,
    ...(report.problems.length
      ? ['  PROBLEMS:', ...report.problems.map((p) => `    ${p}`)]
      : ['  invariant holds']),
    '',
  ];
  // The figures are the scenario's output (issue 10): printed whether or not it passes.
  process.stdout.write(`${lines.join('\n')}\n`);
}
