import type { AlertEvent } from '@alert-exchange/contracts';
import { UnavailableError, type Redis } from '@alert-exchange/platform';
import { foldCase, type CaseState } from '../domain/case-state';

/** Offsets are zero-padded so that Redis field names sort as the log does. */
const positionField = (offset: string): string => offset.padStart(20, '0');
const caseKey = (caseId: string): string => `ax:case:${caseId}`;
const OFFSETS_KEY = 'ax:case-projection:offsets';

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

  /** Stores `event` and moves the projection's offset of (topic, partition) past it. */
  async project(event: AlertEvent, topic: string, partition: number, offset: string) {
    await this.record(event, offset);
    await this.raiseOffset(topic, partition, BigInt(offset) + 1n);
  }

  /** Moves the projection's offset past a message that is not a case event (dead-lettered). */
  async raiseOffset(topic: string, partition: number, next: bigint): Promise<void> {
    await this.guard(() =>
      this.redis.eval(RAISE_OFFSET, 1, OFFSETS_KEY, `${topic}:${partition}`, next.toString()),
    );
  }

  /** Where the projection resumes reading (topic, partition), if it has read it before. */
  async resumeOffset(topic: string, partition: number): Promise<string | undefined> {
    const next = await this.guard(() => this.redis.hget(OFFSETS_KEY, `${topic}:${partition}`));
    return next ?? undefined;
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
