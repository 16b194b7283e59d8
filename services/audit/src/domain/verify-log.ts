import type { KeyObject } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalRecord } from './canonical';
import { verifyChain } from './chain';
import { checkpointProblem, verifyCheckpoint, type Checkpoint } from './checkpoint';
import { treeRoot } from './merkle';

/** A checkpoint as published, with its signature (standard base64). */
export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  signature: string;
}

/** One thing wrong with the log: a record (by seq), a checkpoint (by its size), or both. */
export interface LogProblem {
  seq?: number;
  checkpointTreeSize?: number;
  problem: string;
}

/** What the offline verifier found. */
export interface LogReport {
  /** True when there is no problem at all. */
  ok: boolean;
  /** How many records were checked. */
  records: number;
  /** How many checkpoints were checked. */
  checkpoints: number;
  problems: LogProblem[];
}

/**
 * The offline verifier: everything an auditor with the records, the published checkpoints
 * and the log's public key can check without trusting the exchange.
 * - The hash chain from seq 0 (see `verifyChain`): its first broken record, if any.
 * - Each checkpoint, in the order given: well formed; its Ed25519 signature holds under
 *   `publicKey`; it covers no more records than there are; its rootHash is the RFC 9162 root
 *   of the canonical bytes of the first treeSize records; and neither its size nor its time
 *   is less than the checkpoint's before it (a log only grows).
 * Every checkpoint problem is listed; the chain contributes its first problem only, since
 * records after a break cannot be judged.
 */
export function verifyLog(
  records: readonly AuditRecord[],
  checkpoints: readonly SignedCheckpoint[],
  publicKey: KeyObject,
): LogReport {
  const problems: LogProblem[] = [];
  const leaves = encode(records, problems);
  if (leaves) {
    const chain = verifyChain(records);
    if (!chain.ok) problems.push({ seq: chain.seq, problem: chain.problem });
  }

  let previous: Checkpoint | undefined;
  for (const { checkpoint, signature } of checkpoints) {
    const named = (problem: string): LogProblem => ({
      checkpointTreeSize: checkpoint.treeSize,
      problem,
    });
    const malformed = checkpointProblem(checkpoint);
    if (malformed) {
      problems.push(named(`malformed checkpoint: ${malformed}`));
      continue;
    }
    if (!verifyCheckpoint(checkpoint, signature, publicKey)) {
      problems.push(named('its signature does not verify under the log public key'));
    }
    if (checkpoint.treeSize > records.length) {
      problems.push(
        named(`it covers ${checkpoint.treeSize} records, the log has only ${records.length}`),
      );
    } else if (
      leaves &&
      treeRoot(leaves.slice(0, checkpoint.treeSize)).toString('hex') !== checkpoint.rootHash
    ) {
      problems.push(
        named(`its rootHash is not the root of the first ${checkpoint.treeSize} records`),
      );
    }
    if (previous && checkpoint.treeSize < previous.treeSize) {
      problems.push(named(`the log shrank: the checkpoint before covers ${previous.treeSize}`));
    }
    if (previous && checkpoint.timestamp < previous.timestamp) {
      problems.push(named('it is older than the checkpoint before it'));
    }
    previous = checkpoint;
  }

  return {
    ok: problems.length === 0,
    records: records.length,
    checkpoints: checkpoints.length,
    problems,
  };
}

/** The records' canonical bytes, or undefined after naming the first that has none. */
function encode(records: readonly AuditRecord[], problems: LogProblem[]): Buffer[] | undefined {
  const leaves: Buffer[] = [];
  for (const record of records) {
    try {
      leaves.push(canonicalRecord(record));
    } catch (e) {
      problems.push({ seq: record.seq, problem: `cannot be encoded: ${(e as Error).message}` });
      return undefined;
    }
  }
  return leaves;
}
