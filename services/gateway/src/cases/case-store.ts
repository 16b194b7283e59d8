import {
  isViewLevel,
  type AlertEvent,
  type RoutingRecord,
  type ViewLevel,
} from '@alert-exchange/contracts';
import { UnavailableError, type Redis } from '@alert-exchange/platform';
import { foldCase, type CaseState } from '../domain/case-state';
import {
  CASE_PROJECTION,
  ROUTING_PROJECTION,
  fencedScript,
  projectionsIntact,
  runFenced,
  type ProjectionFence,
} from './projection-keys';

/** Offsets are zero-padded so that Redis field names sort as the log does. */
const positionField = (offset: string): string => offset.padStart(20, '0');
const caseKey = (caseId: string): string => `ax:case:${caseId}`;
const routedKey = (caseId: string): string => `ax:case-routed:${caseId}`;
/** KEYS (after the fence's): the case. ARGV (after the fence's): position, event. */
const PROJECT_EVENT = fencedScript(`redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])`);

/**
 * KEYS (after the fence's): the case's recipients. ARGV (after the fence's): recipient,
 * level, recipient, level, ...
 */
const PROJECT_ROUTING = fencedScript(`
if #ARGV > 3 then redis.call('HSET', KEYS[4], unpack(ARGV, 4)) end`);

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

  /**
   * Stores `event`, read at `offset`, and moves the case projection past it, under
   * `fence`. False when fenced off: Redis lost the projection.
   */
  async project(event: AlertEvent, offset: string, fence: ProjectionFence): Promise<boolean> {
    return this.guard(() =>
      runFenced(
        this.redis,
        PROJECT_EVENT,
        fence,
        [caseKey(event.caseId)],
        [positionField(offset), JSON.stringify(event)],
      ),
    );
  }

  /**
   * Stores who received an event of the case and at which view level, and moves the
   * routing projection past the record, under `fence`. A recipient's level only rises
   * over a case's events (the router keeps the earlier level at least), so the latest
   * wins. False when fenced off.
   */
  async projectRouting(record: RoutingRecord, fence: ProjectionFence): Promise<boolean> {
    const levels = record.recipients.flatMap((r) => [r.recipientId, r.viewLevel]);
    return this.guard(() =>
      runFenced(this.redis, PROJECT_ROUTING, fence, [routedKey(record.caseId)], levels),
    );
  }

  /**
   * False while the cases or their recipients may be missing what they held, being read
   * again from Kafka after Redis lost them: a case not found then is no answer yet.
   */
  async intact(): Promise<boolean> {
    return this.guard(() => projectionsIntact(this.redis, [CASE_PROJECTION, ROUTING_PROJECTION]));
  }

  /** The organisations the case was routed to, with the view level each was given. */
  async routedTo(caseId: string): Promise<Map<string, ViewLevel>> {
    const fields = await this.guard(() => this.redis.hgetall(routedKey(caseId)));
    return new Map(
      Object.entries(fields).filter((entry): entry is [string, ViewLevel] => isViewLevel(entry[1])),
    );
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
