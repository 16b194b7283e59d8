import type { AuditRecord } from '@alert-exchange/contracts';
import type { Redis } from '@alert-exchange/platform';
import { recordLine, type ExportLine } from './domain/export-format';
import { INDEX_PREFIX, indexEntries, keys } from './domain/index-entries';

/** A delivery routed and not acknowledged, as the index knows it. */
export interface UnacknowledgedDelivery {
  deliveryId: string;
  recipient: string | null;
  caseId: string | null;
  routedAt: number;
  /** The latest fact about it in trail order (ROUTED, ATTEMPTED, DELIVERED, ESCALATED…). */
  state: string;
}

/**
 * The audit trail's query index in Redis (docs/AUDIT.md). A cache of the `audit` topic:
 * the appender adds each committed record, and `rebuild` (the auditor's command) wipes
 * it and adds every record again, which gives the same answers.
 */
export class AuditIndex {
  constructor(private readonly redis: Redis) {}

  /** Adds records (in seq order) and moves `next` past them, in one MULTI. */
  async add(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const multi = this.redis.multi();
    for (const record of records) {
      for (const entry of indexEntries(record, recordLine(record))) {
        if (entry.op === 'set') multi.set(entry.key, entry.value);
        else if (entry.op === 'zadd') multi.zadd(entry.key, entry.score, entry.member);
        else if (entry.op === 'zrem') multi.zrem(entry.key, entry.member);
        else multi.hset(entry.key, entry.fields);
      }
    }
    multi.set(keys.next, `${Number(records[records.length - 1]!.seq) + 1}`);
    await multi.exec();
  }

  /** The first seq the index has not seen (0 when empty). */
  async next(): Promise<number> {
    return Number((await this.redis.get(keys.next)) ?? 0);
  }

  /** A case's trail in order: each record as its export line. */
  async caseTrail(caseId: string): Promise<ExportLine[]> {
    const seqs = await this.redis.zrange(keys.caseTrail(caseId), '0', '-1');
    if (seqs.length === 0) return [];
    const lines = await this.redis.mget(seqs.map((s) => keys.record(Number(s))));
    return lines.filter((l): l is string => l !== null).map((l) => JSON.parse(l) as ExportLine);
  }

  /** Deliveries routed at least `olderThanMs` before `now` and not acknowledged, oldest first. */
  async unacknowledged(olderThanMs: number, now: number): Promise<UnacknowledgedDelivery[]> {
    const ids = await this.redis.zrangebyscore(keys.unacknowledged, '-inf', now - olderThanMs);
    const found: UnacknowledgedDelivery[] = [];
    for (const deliveryId of ids) {
      const state = await this.redis.hgetall(keys.delivery(deliveryId));
      // Acknowledged facts may precede the routing fact in the trail: the hash knows.
      if (state.acknowledgedAt) continue;
      found.push({
        deliveryId,
        recipient: state.recipient ?? null,
        caseId: state.caseId ?? null,
        routedAt: Number(state.routedAt),
        state: state.state ?? 'ROUTED',
      });
    }
    return found;
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

  /** Wipes the index and adds every record of `records` (the whole trail, in seq order). */
  async rebuild(records: readonly AuditRecord[]): Promise<void> {
    await this.wipe();
    for (let i = 0; i < records.length; i += 500) await this.add(records.slice(i, i + 500));
  }
}
