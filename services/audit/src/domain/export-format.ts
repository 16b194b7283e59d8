/**
 * The export of an audit trail (docs/AUDIT.md): JSON lines, one record or checkpoint per
 * line, in trail order, that the offline verifier reads back. Records carry their hashes
 * as lower-case hex; every other field as in the AuditRecord schema. Pure.
 */
import type { AuditCheckpoint, AuditRecord } from '@alert-exchange/contracts';
import type { SignedCheckpoint } from './verify-log';

export type ExportLine =
  | ({ type: 'record' } & Omit<AuditRecord, 'prevHash' | 'hash'> & {
        prevHash: string;
        hash: string;
      })
  | ({ type: 'checkpoint' } & AuditCheckpoint);

export function recordLine(record: AuditRecord): string {
  const line: ExportLine = {
    type: 'record',
    ...record,
    seq: Number(record.seq),
    at: Number(record.at),
    prevHash: Buffer.from(record.prevHash).toString('hex'),
    hash: Buffer.from(record.hash).toString('hex'),
  };
  return JSON.stringify(line);
}

/** The record an export line holds (its hashes back to bytes). */
export function recordOfLine(line: Extract<ExportLine, { type: 'record' }>): AuditRecord {
  const { type: _type, prevHash, hash, ...rest } = line;
  return { ...rest, prevHash: Buffer.from(prevHash, 'hex'), hash: Buffer.from(hash, 'hex') };
}

export function checkpointLine(checkpoint: AuditCheckpoint): string {
  const line: ExportLine = {
    type: 'checkpoint',
    ...checkpoint,
    treeSize: Number(checkpoint.treeSize),
    timestamp: Number(checkpoint.timestamp),
  };
  return JSON.stringify(line);
}

/**
 * Reads an export back: the records in file order and the signed checkpoints. A line that
 * is not one of ours throws, naming its line number (never its content).
 */
export function readExport(text: string): {
  records: AuditRecord[];
  checkpoints: SignedCheckpoint[];
} {
  const records: AuditRecord[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line: ExportLine;
    try {
      line = JSON.parse(raw) as ExportLine;
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    if (line.type === 'record') {
      if (!/^[0-9a-f]{64}$/.test(line.prevHash) || !/^[0-9a-f]{64}$/.test(line.hash))
        throw new Error(`line ${i + 1}: a record's hashes must be 64 hex digits`);
      records.push(recordOfLine(line));
    } else if (line.type === 'checkpoint') {
      checkpoints.push({
        checkpoint: {
          treeSize: line.treeSize,
          rootHash: line.rootHash,
          timestamp: line.timestamp,
        },
        signature: line.signature,
      });
    } else {
      throw new Error(`line ${i + 1} is neither a record nor a checkpoint`);
    }
  });
  return { records, checkpoints };
}
