import { setTimeout as sleep } from 'node:timers/promises';
import type { Delivery, WebhookBody } from '@alert-exchange/contracts';
import { UnavailableError, type Redis } from '@alert-exchange/platform';
import type { ProjectionOffsets } from '../cases/projection';
import type { InboxCursor } from '../domain/inbox-cursor';

const inboxKey = (recipientId: string): string => `ax:inbox:${recipientId}`;
const deliveryKey = (deliveryId: string): string => `ax:delivery:${deliveryId}`;
const OFFSETS_KEY = 'ax:delivery-projection:offsets';

/**
 * Files one delivery and moves the projection's offset, in one step: the inbox and its
 * offsets can never disagree. A delivery is filed under its newest offset only: the
 * dispatcher writes a replayed delivery again, same deliveryId, at a later offset, and
 * the recipient must find it once, there (ZADD moves the member); reading an older copy
 * again (a projection resumed from an older offset) leaves it where it is.
 * KEYS: inbox, delivery, offsets. ARGV: deliveryId, offset, recipientId, caseId,
 * partition, body, offsets field, next offset, traceparent (or empty), publish time.
 */
const FILE_DELIVERY = `
local filed = redis.call('ZSCORE', KEYS[1], ARGV[1])
if (not filed) or (tonumber(filed) <= tonumber(ARGV[2])) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('HSET', KEYS[2], 'recipientId', ARGV[3], 'caseId', ARGV[4],
    'partition', ARGV[5], 'offset', ARGV[2], 'body', ARGV[6], 'traceparent', ARGV[9],
    'publishedAt', ARGV[10])
end
local current = redis.call('HGET', KEYS[3], ARGV[7])
if (not current) or (tonumber(current) < tonumber(ARGV[8])) then
  redis.call('HSET', KEYS[3], ARGV[7], ARGV[8])
end
return 1`;

/** Raises the stored next offset of a partition, never lowers it. */
const RAISE_OFFSET = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (not current) or (tonumber(current) < tonumber(ARGV[2])) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1`;

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
  constructor(private readonly redis: Redis) {}

  /** Files `delivery`, read at (topic, partition, offset), with its webhook body. Idempotent. */
  async project(
    delivery: Delivery,
    body: WebhookBody,
    topic: string,
    partition: number,
    offset: string,
    traceparent?: string,
    publishedAt?: number,
  ): Promise<void> {
    await this.guard(() =>
      this.redis.eval(
        FILE_DELIVERY,
        3,
        inboxKey(delivery.recipientId),
        deliveryKey(delivery.deliveryId),
        OFFSETS_KEY,
        delivery.deliveryId,
        offset,
        delivery.recipientId,
        delivery.caseId,
        String(partition),
        JSON.stringify(body),
        `${topic}:${partition}`,
        (BigInt(offset) + 1n).toString(),
        traceparent ?? '',
        publishedAt === undefined ? '' : String(publishedAt),
      ),
    );
  }

  /** The offsets of the deliveries projection, kept beside the inboxes. */
  offsets(): ProjectionOffsets {
    return {
      raise: async (topic, partition, next) => {
        await this.guard(() =>
          this.redis.eval(RAISE_OFFSET, 1, OFFSETS_KEY, `${topic}:${partition}`, next.toString()),
        );
      },
      resume: async (topic, partition) =>
        (await this.guard(() => this.redis.hget(OFFSETS_KEY, `${topic}:${partition}`))) ??
        undefined,
      forget: async () => {
        await this.guard(() => this.redis.del(OFFSETS_KEY));
      },
    };
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
      entries.push({
        cursor: { partition: Number(partition), offset },
        body: JSON.parse(body) as WebhookBody,
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

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      throw new UnavailableError('The inbox (Redis) did not answer', { cause });
    }
  }
}
