import { createHash } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalRecord, type RecordContent } from './canonical';

/** The prevHash of the first record (seq 0): 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** What happened, as the service that saw it reports it: a record without its place. */
export type AuditFact = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

/** The verdict on a chain: fine, or the first record that is not. */
export type ChainVerdict = { ok: true } | { ok: false; seq: number; problem: string };

/**
 * SHA-256 of the record's canonical bytes (see `canonicalRecord`). Those bytes include
 * prevHash, so each hash commits to the whole trail before it. A `hash` field on the
 * argument is ignored.
 */
export function recordHash(record: RecordContent): Buffer {
  return createHash('sha256').update(canonicalRecord(record)).digest();
}

/**
 * The record that follows `previous` (or starts the trail when there is none): the next
 * seq, chained to the previous hash, and hashed.
 */
export function appendFact(previous: AuditRecord | undefined, fact: AuditFact): AuditRecord {
  const content: RecordContent = {
    ...fact,
    detail: { ...fact.detail },
    seq: previous ? previous.seq + 1 : 0,
    prevHash: previous ? Buffer.from(previous.hash) : Buffer.from(GENESIS_HASH),
  };
  delete content.hash;
  return { ...content, hash: recordHash(content) };
}

/**
 * Checks a whole trail, from seq 0, and names the first record that breaks it. For each
 * record, in this order:
 * - its seq is the one expected (0 first, then gap-free): a later seq means a record was
 *   dropped, or moved later when the missing seq comes further on (reordered); an earlier
 *   or repeated seq means records were reordered or duplicated;
 * - its hash is SHA-256 of its content: otherwise the record was altered;
 * - its prevHash is the previous record's hash (GENESIS_HASH for seq 0): otherwise a record
 *   was altered and re-hashed, or the trail was spliced. Rewriting a record and its hash
 *   therefore shows at the record after it.
 */
export function verifyChain(records: readonly AuditRecord[]): ChainVerdict {
  const present = new Set(records.map((r) => r.seq));
  let previous: AuditRecord | undefined;
  for (const record of records) {
    const expected = previous ? previous.seq + 1 : 0;
    const problem =
      seqProblem(record.seq, expected, present) ??
      (record.hash.equals(recordHash(record))
        ? undefined
        : 'altered: its hash is not the SHA-256 of its content') ??
      linkProblem(record, previous);
    if (problem) return { ok: false, seq: record.seq, problem };
    previous = record;
  }
  return { ok: true };
}

function seqProblem(seq: number, expected: number, present: Set<number>): string | undefined {
  if (seq === expected) return undefined;
  if (expected === 0) return `the trail starts at seq ${seq}, not 0`;
  if (seq === expected - 1) return `seq ${seq} appears twice`;
  if (seq < expected) return `out of order: seq ${seq} comes after seq ${expected - 1}`;
  return present.has(expected)
    ? `out of order: seq ${seq} comes before seq ${expected}`
    : `seq ${expected}${seq - expected > 1 ? ` to ${seq - 1}` : ''} missing before it`;
}

function linkProblem(record: AuditRecord, previous: AuditRecord | undefined): string | undefined {
  if (!previous) {
    return record.prevHash.equals(GENESIS_HASH)
      ? undefined
      : 'seq 0 does not start from the genesis hash (32 zero bytes)';
  }
  return record.prevHash.equals(previous.hash)
    ? undefined
    : `its prevHash is not the hash of seq ${previous.seq}`;
}
