import { setTimeout as sleep } from 'node:timers/promises';
import {
  openBody,
  type Delivery,
  type DeliveryBody,
  type PersonalSealer,
  type WebhookBody,
} from '@alert-exchange/contracts';
import { UnavailableError, type Redis } from '@alert-exchange/platform';
import type { ProjectedRecord } from '../cases/projection';
import {
  DELIVERY_PROJECTION,
  fencedScript,
  projectionsIntact,
  runFenced,
  type ProjectionFence,
} from '../cases/projection-keys';
import type { InboxCursor } from '../domain/inbox-cursor';

const inboxKey = (recipientId: string): string => `ax:inbox:${recipientId}`;
const deliveryKey = (deliveryId: string): string => `ax:delivery:${deliveryId}`;
/**
 * Files one delivery (fenced: see fencedScript, which moves the projection's offset in
 * the same step, so the inbox and its offsets can never disagree). A delivery is filed
 * under its newest offset only: the dispatcher writes a replayed delivery again, same
 * deliveryId, at a later offset, and the recipient must find it once, there (ZADD moves
 * the member); reading an older copy again (a projection resumed from an older offset)
 * leaves it where it is.
 * KEYS (after the fence's): inbox, delivery. ARGV (after the fence's): deliveryId, offset,
 * recipientId, caseId, partition, body, traceparent (or empty), publish time.
 */
const FILE_DELIVERY = fencedScript(`
local filed = redis.call('ZSCORE', KEYS[4], ARGV[4])
if (not filed) or (tonumber(filed) <= tonumber(ARGV[5])) then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
  redis.call('HSET', KEYS[5], 'recipientId', ARGV[6], 'caseId', ARGV[7],
    'partition', ARGV[8], 'offset', ARGV[5], 'body', ARGV[9], 'traceparent', ARGV[10],
    'publishedAt', ARGV[11])
end`);

/** A delivery of the inbox, with its position. */
export interface InboxEntry {
  readonly cursor: InboxCursor;
  readonly body: WebhookBody;
}

/** Who a delivery is for, as the acknowledgement route needs it. */
export interface DeliveryAddress {
  readonly deliveryId: string;
  readonly recipientId: string;
  readonly caseId: string;
  /** The delivery's trace (the router's span), which its acknowledgement joins. */
  readonly traceparent?: string;
  /** When its event was published (epoch ms), for the acknowledgement latency. */
  readonly publishedAt?: number;
}

/**
 * Every recipient's deliveries in Redis, projected from the deliveries topic, for the pull
 * inbox and acknowledgements: a sorted set per recipient (`ax:inbox:<recipientId>`,
 * member deliveryId, score the offset) and a hash per delivery (`ax:delivery:<id>`:
 * recipientId, caseId, partition, offset and the webhook body as JSON). Kafka is the
 * record: the projection rebuilds this, and keeps its offsets here, beside what they
 * describe, so that Redis losing its last writes loses the offsets with them.
 */
export class InboxStore {
  constructor(
    private readonly redis: Redis,
    /** Opens the personal part of each delivery's alert as it is read (docs/PRIVACY.md). */
    private readonly keyring: PersonalSealer,
  ) {}

  /**
   * Files `delivery`, read at `read`, with its webhook body, under `fence`. Idempotent.
   * False when fenced off: Redis lost the projection.
   */
  async project(
    delivery: Delivery,
    body: DeliveryBody,
    read: ProjectedRecord,
    fence: ProjectionFence,
    publishedAt?: number,
  ): Promise<boolean> {
    return this.guard(() =>
      runFenced(
        this.redis,
        FILE_DELIVERY,
        fence,
        [inboxKey(delivery.recipientId), deliveryKey(delivery.deliveryId)],
        [
          delivery.deliveryId,
          read.offset,
          delivery.recipientId,
          delivery.caseId,
          String(read.partition),
          JSON.stringify(body),
          read.traceparent ?? '',
          publishedAt === undefined ? '' : String(publishedAt),
        ],
      ),
    );
  }

  /**
   * False while the inbox may be missing deliveries it held, being read again from Kafka
   * after Redis lost it: a delivery not found then is no answer yet.
   */
  async intact(): Promise<boolean> {
    return this.guard(() => projectionsIntact(this.redis, [DELIVERY_PROJECTION]));
  }

  /** Up to `limit` deliveries of `recipientId` after `after` (from the start without), in order. */
  async page(
    recipientId: string,
    after: InboxCursor | undefined,
    limit: number,
  ): Promise<InboxEntry[]> {
    const from = after ? `(${after.offset}` : '-inf';
    const ids = await this.guard(() =>
      this.redis.zrangebyscore(inboxKey(recipientId), from, '+inf', 'LIMIT', 0, limit),
    );
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(deliveryKey(id), 'partition', 'offset', 'body');
    const rows = await this.guard(async () => (await pipeline.exec()) ?? []);
    const entries: InboxEntry[] = [];
    for (const [error, row] of rows) {
      if (error) throw new UnavailableError('The inbox (Redis) did not answer', { cause: error });
      const [partition, offset, body] = row as [string | null, string | null, string | null];
      // Filed with its hash in one script: a member without one was never complete.
      if (partition === null || offset === null || body === null) continue;
      // Kept sealed in Redis; opened here, in memory, for the recipient it was routed to.
      const filed = JSON.parse(body) as DeliveryBody;
      entries.push({
        cursor: { partition: Number(partition), offset },
        body: await this.guardOpen(() => openBody(filed, this.keyring)),
      });
    }
    return entries;
  }

  /** Whom `deliveryId` is for, or undefined when the projection has not filed it. */
  async address(deliveryId: string): Promise<DeliveryAddress | undefined> {
    const [recipientId, caseId, traceparent, publishedAt] = (await this.guard(() =>
      this.redis.hmget(
        deliveryKey(deliveryId),
        'recipientId',
        'caseId',
        'traceparent',
        'publishedAt',
      ),
    )) as [string | null, string | null, string | null, string | null];
    if (!recipientId || !caseId) return undefined;
    return {
      deliveryId,
      recipientId,
      caseId,
      ...(traceparent ? { traceparent } : {}),
      // Filed before the publish time was kept: not measured.
      ...(publishedAt ? { publishedAt: Number(publishedAt) } : {}),
    };
  }

  /**
   * Whom `deliveryId` is for, waiting up to `waitMs` for the projection to file it: a
   * recipient may ack a webhook push before this instance has read the delivery.
   */
  async awaitAddress(
    deliveryId: string,
    waitMs: number,
    intervalMs = 250,
  ): Promise<DeliveryAddress | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const address = await this.address(deliveryId);
      if (address || Date.now() >= deadline) return address;
      await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
    }
  }

  /** Opening needs the case keys from Kafka: a failure there is a 503, not a 500. */
  private async guardOpen<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      if (cause instanceof UnavailableError) throw cause;
      throw new UnavailableError('A delivery of the inbox could not be opened', { cause });
    }
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      throw new UnavailableError('The inbox (Redis) did not answer', { cause });
    }
  }
}
