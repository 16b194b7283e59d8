import {
  isViewLevel,
  type AlertEvent,
  type RoutingRecord,
  type ViewLevel,
} from '@alert-exchange/contracts';
import { UnavailableError, type Redis } from '@alert-exchange/platform';
import { foldCase, type CaseState } from '../domain/case-state';
import type { ProjectionOffsets } from './projection';

/** Offsets are zero-padded so that Redis field names sort as the log does. */
const positionField = (offset: string): string => offset.padStart(20, '0');
const caseKey = (caseId: string): string => `ax:case:${caseId}`;
const routedKey = (caseId: string): string => `ax:case-routed:${caseId}`;
const offsetsKey = (projection: 'cases' | 'routing'): string =>
  projection === 'cases' ? 'ax:case-projection:offsets' : 'ax:routing-projection:offsets';

/** Raises the stored next offset of a partition, never lowers it. */
const RAISE_OFFSET = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (not current) or (tonumber(current) < tonumber(ARGV[2])) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1`;

/**
 * The events of each case, cached in Redis by their position in the case's partition
 * (one hash per case), so that the gateway can answer case reads and check events
 * against the current state without reading Kafka. Kafka is the record: the case
 * projection rebuilds this from the alerts topics, and since an event is stored under its
 * offset, writing it twice (publisher and projection) or out of order changes nothing.
 * The projection keeps its own offsets here too, in the same store as what they
 * describe: if Redis loses its last second of writes, it loses the offsets with them and
 * the projection reads those events again.
 */
export class CaseStore {
  constructor(private readonly redis: Redis) {}

  /** Stores `event`, found at `offset` of its case's partition. Idempotent. */
  async record(event: AlertEvent, offset: string): Promise<void> {
    await this.guard(() =>
      this.redis.hset(caseKey(event.caseId), positionField(offset), JSON.stringify(event)),
    );
  }

  /** Stores `event` and moves the case projection's offset of (topic, partition) past it. */
  async project(event: AlertEvent, topic: string, partition: number, offset: string) {
    await this.record(event, offset);
    await this.offsets('cases').raise(topic, partition, BigInt(offset) + 1n);
  }

  /**
   * Stores who received an event of the case and at which view level, and moves the
   * routing projection's offset past the record. A recipient's level only rises over a
   * case's events (the router keeps the earlier level at least), so the latest wins.
   */
  async projectRouting(record: RoutingRecord, topic: string, partition: number, offset: string) {
    if (record.recipients.length > 0) {
      const levels = record.recipients.flatMap((r) => [r.recipientId, r.viewLevel]);
      await this.guard(() => this.redis.hset(routedKey(record.caseId), ...levels));
    }
    await this.offsets('routing').raise(topic, partition, BigInt(offset) + 1n);
  }

  /** The organisations the case was routed to, with the view level each was given. */
  async routedTo(caseId: string): Promise<Map<string, ViewLevel>> {
    const fields = await this.guard(() => this.redis.hgetall(routedKey(caseId)));
    return new Map(
      Object.entries(fields).filter((entry): entry is [string, ViewLevel] => isViewLevel(entry[1])),
    );
  }

  /** The offsets of a projection, kept beside what it projects. */
  offsets(projection: 'cases' | 'routing'): ProjectionOffsets {
    const key = offsetsKey(projection);
    return {
      raise: async (topic, partition, next) => {
        await this.guard(() =>
          this.redis.eval(RAISE_OFFSET, 1, key, `${topic}:${partition}`, next.toString()),
        );
      },
      resume: async (topic, partition) =>
        (await this.guard(() => this.redis.hget(key, `${topic}:${partition}`))) ?? undefined,
      forget: async () => {
        await this.guard(() => this.redis.del(key));
      },
    };
  }

  /** The current state of `caseId`, or undefined when the cache knows no such case. */
  async load(caseId: string): Promise<CaseState | undefined> {
    const fields = await this.guard(() => this.redis.hgetall(caseKey(caseId)));
    const events = Object.keys(fields)
      .sort()
      .map((field) => JSON.parse(fields[field]!) as AlertEvent);
    return foldCase(events);
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      throw new UnavailableError('The case store (Redis) did not answer', { cause });
    }
  }
}
