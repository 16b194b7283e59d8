/**
 * What auditors and operators are shown of the trail (../shared/CONTRACT.md, Audit): each
 * record as an entry `{seq, at, kind, actor, recipient, deliveryId, eventId, detail,
 * traceId, hash, prevHash}` with `at` in ISO 8601, and a case's trail as CSV. Records hold
 * no personal data of a child (facts.ts), so neither does a view of them. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import { canonicalJson } from './canonical';
import type { ExportLine } from './export-format';

export type RecordLine = Extract<ExportLine, { type: 'record' }>;

export interface TrailEntry {
  seq: number;
  /** ISO 8601, UTC, milliseconds. The canonical record (and its hash) has it in ms since the epoch. */
  at: string;
  kind: string;
  actor: string;
  recipient: string | null;
  deliveryId: string | null;
  eventId: string | null;
  caseId: string | null;
  detail: Record<string, string>;
  traceId: string | null;
  hash: string;
  prevHash: string;
}

export function trailEntry(line: RecordLine): TrailEntry {
  return {
    seq: line.seq,
    at: new Date(line.at).toISOString(),
    kind: line.kind,
    actor: line.actor,
    recipient: line.recipient,
    deliveryId: line.deliveryId,
    eventId: line.eventId,
    caseId: line.caseId,
    detail: line.detail,
    traceId: line.traceId,
    hash: line.hash,
    prevHash: line.prevHash,
  };
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'kind',
  'actor',
  'recipient',
  'deliveryId',
  'eventId',
  'caseId',
  'detail',
  'traceId',
  'hash',
  'prevHash',
] as const;

/**
 * A trail as CSV (RFC 4180, CRLF line ends, a header row): one row per entry, empty cells
 * for absent values, `detail` as canonical JSON (keys sorted) in one cell.
 */
export function trailCsv(entries: readonly TrailEntry[]): string {
  return stringify(
    entries.map((e) =>
      CSV_COLUMNS.map((column) => {
        if (column === 'detail') return canonicalJson(e.detail);
        const value = e[column];
        return value === null ? '' : String(value);
      }),
    ),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' },
  );
}
