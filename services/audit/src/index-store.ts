import type { AuditCheckpoint, AuditRecord } from '@alert-exchange/contracts';
import type { Redis } from '@alert-exchange/platform';
import { canonicalRecord } from './domain/canonical';
import {
  completenessReport,
  type CompletenessReport,
  type DeliveryState,
  type EventState,
} from './domain/completeness';
import { checkpointLine, recordLine, recordOfLine, type ExportLine } from './domain/export-format';
import {
  INDEX_PREFIX,
  checkpointEntries,
  indexEntries,
  keys,
  nodeEntries,
  type IndexEntry,
} from './domain/index-entries';
import { leafHash } from './domain/merkle';
import {
  EMPTY_FRONTIER,
  appendLeaf,
  assembleProof,
  inclusionPlan,
  nodeKey,
  type TreeNode,
} from './domain/merkle-nodes';
import { trailEntry, type RecordLine, type TrailEntry } from './domain/trail-view';

/** A committed record and the Merkle nodes it completed. */
export interface IndexedRecord {
  record: AuditRecord;
  nodes: readonly TreeNode[];
}

/** A delivery routed and not acknowledged, as the index knows it. */
export interface UnacknowledgedDelivery {
  deliveryId: string;
  recipient: string | null;
  caseId: string | null;
  routedAt: string;
  /** The latest fact about it in trail order (ROUTED, ATTEMPTED, DELIVERED, ESCALATED…). */
  state: string;
}

/** The latest signed checkpoint, as `GET /v1/audit/checkpoints/latest` shows it. */
export interface CheckpointBody {
  treeSize: number;
  rootHash: string;
  /** Signed with the rest: milliseconds since the Unix epoch (docs/AUDIT.md). */
  timestamp: number;
  signature: string;
  publicKey: string;
}

/**
 * An inclusion proof of one record (RFC 9162 §2.1.3): `auditPath` leads from
 * SHA-256(0x00 ‖ canonicalRecord) to the root of the checkpoint's tree.
 */
export interface InclusionProofBody {
  seq: number;
  leafIndex: number;
  treeSize: number;
  record: TrailEntry;
  /** The record's canonical bytes (RFC 8785 JSON, docs/AUDIT.md), base64: the leaf. */
  canonicalRecord: string;
  leafHash: string;
  auditPath: string[];
  checkpoint: CheckpointBody;
}

/** Why a proof cannot be given: the caller's question, not the exchange's fault. */
export class ProofUnavailable extends Error {
  constructor(
    readonly reason: 'NO_CHECKPOINT' | 'NO_SUCH_RECORD' | 'NOT_YET_CHECKPOINTED',
    message: string,
  ) {
    super(message);
    this.name = 'ProofUnavailable';
  }
}

const num = (v: string | undefined): number | null =>
  v === undefined || v === '' ? null : Number(v);

/**
 * The audit trail's query index in Redis (docs/AUDIT.md). A cache of the `audit` and
 * `audit.checkpoints` topics: the appender adds each committed record (with the Merkle
 * nodes it completed) and each checkpoint, and `rebuild` (the auditor's command) wipes it
 * and adds every record and checkpoint again, which gives the same answers. The gateway
 * reads it to serve the audit API.
 */
export class AuditIndex {
  constructor(private readonly redis: Redis) {}

  /** Adds records (in seq order) and their nodes, and moves `next` past them, in one MULTI. */
  async add(records: readonly IndexedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const multi = this.redis.multi();
    for (const { record, nodes } of records) {
      for (const entry of [...indexEntries(record, recordLine(record)), ...nodeEntries(nodes)]) {
        apply(multi, entry);
      }
    }
    multi.set(keys.next, `${Number(records[records.length - 1]!.record.seq) + 1}`);
    await multi.exec();
  }

  /** Makes `checkpoint` the latest, unless the index has a larger one. */
  async setCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    const latest = await this.latestCheckpoint();
    const multi = this.redis.multi();
    for (const entry of checkpointEntries(checkpoint, checkpointLine(checkpoint), latest?.treeSize))
      apply(multi, entry);
    await multi.exec();
  }

  /** The first seq the index has not seen (0 when empty). */
  async next(): Promise<number> {
    return Number((await this.redis.get(keys.next)) ?? 0);
  }

  /** A case's trail in order. */
  async caseTrail(caseId: string): Promise<TrailEntry[]> {
    const seqs = await this.redis.zrange(keys.caseTrail(caseId), '0', '-1');
    return (await this.recordLines(seqs.map(Number))).map(trailEntry);
  }

  /** Deliveries routed at least `olderThanMs` before `now` and not acknowledged, oldest first. */
  async unacknowledged(olderThanMs: number, now: number): Promise<UnacknowledgedDelivery[]> {
    const ids = await this.redis.zrangebyscore(keys.unacknowledged, '-inf', now - olderThanMs);
    const states = await this.deliveryStates(ids);
    // Acknowledged facts may precede the routing fact in the trail: the hash knows.
    return states
      .filter((d) => d.acknowledgedAt === null)
      .map((d) => ({
        deliveryId: d.deliveryId,
        recipient: d.recipient,
        caseId: d.caseId,
        routedAt: new Date(d.routedAt).toISOString(),
        state: d.state,
      }));
  }

  /** The completeness report for [from, to) (domain/completeness.ts). */
  async completeness(from: number, to: number): Promise<CompletenessReport> {
    const range = [`${from}`, `(${to}`] as const;
    const [eventIds, deliveryIds] = await Promise.all([
      this.redis.zrangebyscore(keys.events, ...range),
      this.redis.zrangebyscore(keys.deliveries, ...range),
    ]);
    const [events, deliveries] = await Promise.all([
      this.eventStates(eventIds),
      this.deliveryStates(deliveryIds),
    ]);
    return completenessReport(from, to, events, deliveries);
  }

  /** The latest signed checkpoint, or undefined before the first. */
  async latestCheckpoint(): Promise<CheckpointBody | undefined> {
    const line = await this.redis.get(keys.checkpoint);
    if (line === null) return undefined;
    const { type: _type, ...checkpoint } = JSON.parse(line) as Extract<
      ExportLine,
      { type: 'checkpoint' }
    >;
    return {
      ...checkpoint,
      treeSize: Number(checkpoint.treeSize),
      timestamp: Number(checkpoint.timestamp),
    };
  }

  /**
   * The inclusion proof of record `seq` in the tree of the latest checkpoint. Throws a
   * ProofUnavailable when there is no checkpoint, no such record, or the record came after
   * the latest checkpoint (ask again after the next one).
   */
  async proof(seq: number): Promise<InclusionProofBody> {
    const checkpoint = await this.latestCheckpoint();
    if (!checkpoint)
      throw new ProofUnavailable('NO_CHECKPOINT', 'no checkpoint has been signed yet');
    const [line] = await this.recordLines([seq]);
    if (!line) throw new ProofUnavailable('NO_SUCH_RECORD', `the trail has no record ${seq}`);
    if (seq >= checkpoint.treeSize) {
      throw new ProofUnavailable(
        'NOT_YET_CHECKPOINTED',
        `record ${seq} is after the latest checkpoint (tree size ${checkpoint.treeSize}); the next checkpoint will cover it`,
      );
    }
    const plan = inclusionPlan(seq, checkpoint.treeSize);
    const ids = plan.flat().map(nodeKey);
    const hashes = ids.length > 0 ? await this.redis.hmget(keys.tree, ...ids) : [];
    const stored = new Map<string, Buffer>();
    ids.forEach((id, i) => {
      const hex = hashes[i];
      if (hex) stored.set(id, Buffer.from(hex, 'hex'));
    });
    const canonical = canonicalRecord(recordOfLine(line));
    return {
      seq,
      leafIndex: seq,
      treeSize: checkpoint.treeSize,
      record: trailEntry(line),
      canonicalRecord: canonical.toString('base64'),
      leafHash: leafHash(canonical).toString('hex'),
      auditPath: assembleProof(plan, stored).map((h) => h.toString('hex')),
      checkpoint,
    };
  }

  /** Removes every key of the index. */
  async wipe(): Promise<number> {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(
        cursor,
        'MATCH',
        `${INDEX_PREFIX}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (found.length > 0) removed += await this.redis.del(...found);
    } while (cursor !== '0');
    return removed;
  }

  /**
   * Wipes the index and adds every record of `records` (the whole trail, in seq order),
   * with the Merkle nodes they complete, then the checkpoints (in the order written).
   */
  async rebuild(
    records: readonly AuditRecord[],
    checkpoints: readonly AuditCheckpoint[],
  ): Promise<void> {
    await this.wipe();
    let tree = EMPTY_FRONTIER;
    const indexed: IndexedRecord[] = records.map((record) => {
      const { frontier, completed } = appendLeaf(tree, leafHash(canonicalRecord(record)));
      tree = frontier;
      return { record, nodes: completed };
    });
    for (let i = 0; i < indexed.length; i += 500) await this.add(indexed.slice(i, i + 500));
    for (const checkpoint of checkpoints) await this.setCheckpoint(checkpoint);
  }

  private async recordLines(seqs: readonly number[]): Promise<RecordLine[]> {
    if (seqs.length === 0) return [];
    const lines = await this.redis.mget(seqs.map((s) => keys.record(s)));
    return lines.filter((l): l is string => l !== null).map((l) => JSON.parse(l) as RecordLine);
  }

  private async deliveryStates(ids: readonly string[]): Promise<DeliveryState[]> {
    const hashes = await this.hashes(ids.map(keys.delivery));
    return ids.map((deliveryId, i) => {
      const h = hashes[i]!;
      return {
        deliveryId,
        recipient: h.recipient ?? null,
        caseId: h.caseId ?? null,
        routedAt: Number(h.routedAt),
        state: h.state ?? 'ROUTED',
        deliveredAt: num(h.deliveredAt),
        acknowledgedAt: num(h.acknowledgedAt),
        deadLetteredAt: num(h.deadLetteredAt),
      };
    });
  }

  private async eventStates(ids: readonly string[]): Promise<EventState[]> {
    const hashes = await this.hashes(ids.map(keys.event));
    return ids.map((eventId, i) => {
      const h = hashes[i]!;
      return {
        eventId,
        caseId: h.caseId || null,
        kind: h.kind ?? 'PUBLISHED',
        eventType: h.eventType || null,
        publishedAt: Number(h.publishedAt),
        routedAt: num(h.routedAt),
      };
    });
  }

  /** HGETALL of many keys in one round trip. */
  private async hashes(hashKeys: readonly string[]): Promise<Record<string, string>[]> {
    if (hashKeys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of hashKeys) pipeline.hgetall(key);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
  }
}

type Multi = ReturnType<Redis['multi']>;

function apply(multi: Multi, entry: IndexEntry): void {
  if (entry.op === 'set') multi.set(entry.key, entry.value);
  else if (entry.op === 'zadd') multi.zadd(entry.key, entry.score, entry.member);
  else if (entry.op === 'zrem') multi.zrem(entry.key, entry.member);
  else multi.hset(entry.key, entry.fields);
}
