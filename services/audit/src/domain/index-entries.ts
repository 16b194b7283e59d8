/**
 * The query index of the audit trail (docs/AUDIT.md): what each record adds to it. Pure:
 * the edge applies the entries to Redis in one MULTI per batch, and a rebuild applies the
 * same entries for every record of the topic, so the index built live and the index
 * rebuilt from Kafka are the same.
 */
import type { AuditCheckpoint, AuditRecord } from '@alert-exchange/contracts';
import { nodeKey, type TreeNode } from './merkle-nodes';

export const INDEX_PREFIX = 'ax:audit:';

/** One change to the index. */
export type IndexEntry =
  /** The record itself, as its export line (hashes in hex). */
  | { op: 'set'; key: string; value: string }
  /** A member of a sorted set (a case's trail by seq; unacknowledged deliveries by time). */
  | { op: 'zadd'; key: string; score: number; member: string }
  | { op: 'zrem'; key: string; member: string }
  /** Fields of a hash (a delivery's latest state). */
  | { op: 'hset'; key: string; fields: Record<string, string> };

export const keys = {
  record: (seq: number): string => `${INDEX_PREFIX}record:${seq}`,
  caseTrail: (caseId: string): string => `${INDEX_PREFIX}case:${caseId}`,
  delivery: (deliveryId: string): string => `${INDEX_PREFIX}delivery:${deliveryId}`,
  /** Deliveries routed and not acknowledged yet, scored by when they were routed. */
  unacknowledged: `${INDEX_PREFIX}unacknowledged`,
  /** Every routed delivery, scored by when it was routed (the completeness report). */
  deliveries: `${INDEX_PREFIX}deliveries`,
  /** Every published event (PUBLISHED, RESOLVED, WITHDRAWN), scored by when it was written. */
  events: `${INDEX_PREFIX}events`,
  event: (eventId: string): string => `${INDEX_PREFIX}event:${eventId}`,
  /** The Merkle tree's complete aligned nodes, field `<level>:<index>`, hex (merkle-nodes.ts). */
  tree: `${INDEX_PREFIX}tree`,
  /** The latest signed checkpoint, as its export line. */
  checkpoint: `${INDEX_PREFIX}checkpoint`,
  /** The next seq the index has not seen: where a restart or a rebuild carries on. */
  next: `${INDEX_PREFIX}next`,
} as const;

const EVENT_KINDS = new Set(['PUBLISHED', 'RESOLVED', 'WITHDRAWN']);

/** The tree nodes a record completed, as one hash update. */
export function nodeEntries(nodes: readonly TreeNode[]): IndexEntry[] {
  if (nodes.length === 0) return [];
  const fields: Record<string, string> = {};
  for (const node of nodes) fields[nodeKey(node)] = node.hash.toString('hex');
  return [{ op: 'hset', key: keys.tree, fields }];
}

/** A signed checkpoint, whose export line is `line`: the latest one, when it is no smaller. */
export function checkpointEntries(
  checkpoint: AuditCheckpoint,
  line: string,
  latestSize: number | undefined,
): IndexEntry[] {
  if (latestSize !== undefined && Number(checkpoint.treeSize) < latestSize) return [];
  return [{ op: 'set', key: keys.checkpoint, value: line }];
}

/** The entries of `record`, whose export line is `line`. */
export function indexEntries(record: AuditRecord, line: string): IndexEntry[] {
  const seq = Number(record.seq);
  const at = Number(record.at);
  const entries: IndexEntry[] = [{ op: 'set', key: keys.record(seq), value: line }];
  if (record.caseId)
    entries.push({ op: 'zadd', key: keys.caseTrail(record.caseId), score: seq, member: `${seq}` });
  const eventId = record.eventId;
  if (eventId && EVENT_KINDS.has(record.kind)) {
    entries.push({ op: 'zadd', key: keys.events, score: at, member: eventId });
    entries.push({
      op: 'hset',
      key: keys.event(eventId),
      fields: {
        caseId: record.caseId ?? '',
        kind: record.kind,
        eventType: record.detail.eventType ?? '',
        publishedAt: `${at}`,
        seq: `${seq}`,
      },
    });
  }
  // The routing record may be read before the event it routes: the hash takes either order.
  if (eventId && record.kind === 'ROUTED')
    entries.push({ op: 'hset', key: keys.event(eventId), fields: { routedAt: `${at}` } });
  const { deliveryId } = record;
  if (!deliveryId) return entries;
  const state: Record<string, string> = { state: record.kind, stateAt: `${at}`, seq: `${seq}` };
  if (record.recipient) state.recipient = record.recipient;
  if (record.caseId) state.caseId = record.caseId;
  if (record.kind === 'ROUTED') {
    state.routedAt = `${at}`;
    entries.push({ op: 'zadd', key: keys.unacknowledged, score: at, member: deliveryId });
    entries.push({ op: 'zadd', key: keys.deliveries, score: at, member: deliveryId });
  }
  if (record.kind === 'DELIVERED') state.deliveredAt = `${at}`;
  if (record.kind === 'DEAD_LETTERED') state.deadLetteredAt = `${at}`;
  if (record.kind === 'ACKNOWLEDGED') {
    state.acknowledgedAt = `${at}`;
    entries.push({ op: 'zrem', key: keys.unacknowledged, member: deliveryId });
  }
  entries.push({ op: 'hset', key: keys.delivery(deliveryId), fields: state });
  return entries;
}
