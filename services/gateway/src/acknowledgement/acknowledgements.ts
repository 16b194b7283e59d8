import { setTimeout as sleep } from 'node:timers/promises';
import type { Acknowledgement } from '@alert-exchange/contracts';
import {
  ConflictError,
  UnavailableError,
  linkActiveSpanTo,
  type Redis,
} from '@alert-exchange/platform';
import type { RecordPublisher } from '../kafka/record-publisher';
import type { DeliveryAddress } from '../inbox/inbox-store';
import type { AckBody } from './ack-body';

export const ACKNOWLEDGEMENT_SUBJECT = 'eu.alertexchange.Acknowledgement';

const ackKey = (deliveryId: string): string => `ax:ack:${deliveryId}`;
const lockKey = (deliveryId: string, status: string): string =>
  `ax:ack-lock:${deliveryId}:${status}`;
/** Frees a lock only if it is still ours: one that outlived its TTL may be another's now. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** How long an in-flight lock holds if its holder dies; longer than a publish takes (~10 s). */
const LOCK_TTL_MS = 30_000;

/** An acknowledgement, and whether this request recorded it (false: an earlier one did). */
export interface Acknowledged {
  readonly ack: Acknowledgement;
  readonly fresh: boolean;
}

/**
 * Acknowledgements of deliveries by their recipients (contract: Receiving, Ack). Each
 * goes to the acknowledgements topic (keyed by caseId, acks=all) before it is answered,
 * then into Redis (`ax:ack:<deliveryId>`, one field per status), which makes a repeat of
 * the same (delivery, status) answer the first acknowledgement and write nothing. Two
 * concurrent repeats are serialised by a short lock, so only one reaches Kafka.
 */
export class Acknowledgements {
  constructor(
    private readonly redis: Redis,
    private readonly publisher: RecordPublisher<Acknowledgement>,
    private readonly topic: string,
    private readonly ids: () => string,
    private readonly now: () => number = Date.now,
    private readonly waitMs = 15_000,
  ) {}

  async acknowledge(delivery: DeliveryAddress, body: AckBody): Promise<Acknowledged> {
    const deadline = Date.now() + this.waitMs;
    const lock = lockKey(delivery.deliveryId, body.status);
    const token = this.ids();
    for (;;) {
      const recorded = await this.recorded(delivery.deliveryId, body.status);
      if (recorded) return { ack: recorded, fresh: false };
      const taken = await this.guard(() => this.redis.set(lock, token, 'PX', LOCK_TTL_MS, 'NX'));
      if (taken === 'OK') break;
      if (Date.now() > deadline)
        throw new ConflictError('This acknowledgement is still being recorded; retry it later');
      await sleep(100);
    }
    try {
      // Taken between our look and the lock: answer it.
      const recorded = await this.recorded(delivery.deliveryId, body.status);
      if (recorded) return { ack: recorded, fresh: false };
      const ack: Acknowledgement = {
        ackId: this.ids(),
        deliveryId: delivery.deliveryId,
        caseId: delivery.caseId,
        recipientId: delivery.recipientId,
        status: body.status,
        note: body.note ?? null,
        at: this.now(),
      };
      // The record joins the delivery's trace; the request's own span links to it.
      if (delivery.traceparent) linkActiveSpanTo(delivery.traceparent);
      await this.publisher.publish(this.topic, delivery.caseId, ack, delivery.traceparent);
      // In Kafka: the recipient gets its 200 even if Redis fails to remember it now (a
      // repeat would then publish a second record; consumers de-duplicate on
      // (deliveryId, status)).
      await this.redis
        .hset(ackKey(delivery.deliveryId), body.status, JSON.stringify(ack))
        .catch(() => undefined);
      return { ack, fresh: true };
    } finally {
      await this.redis.eval(UNLOCK, 1, lock, token).catch(() => undefined);
    }
  }

  /** The acknowledgement recorded for (deliveryId, status), if any. */
  private async recorded(deliveryId: string, status: string): Promise<Acknowledgement | undefined> {
    const raw = await this.guard(() => this.redis.hget(ackKey(deliveryId), status));
    return raw ? (JSON.parse(raw) as Acknowledgement) : undefined;
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      throw new UnavailableError('The acknowledgement store (Redis) did not answer', { cause });
    }
  }
}
