import { webhookBody, type Delivery, type DeliveryBody } from '@alert-exchange/contracts';
import {
  PoisonMessageError,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
  type Redis,
} from '@alert-exchange/platform';
import { startProjection } from '../cases/projection';
import { DELIVERY_PROJECTION } from '../cases/projection-keys';
import type { InboxStore } from './inbox-store';

/**
 * Keeps every recipient's inbox from the deliveries topic, read_committed (the router
 * writes it in transactions). The body is built here, once, as the webhook push carries
 * it, so that a recipient handles pushed and pulled deliveries alike; a delivery whose
 * body cannot be built is poison, for the dead-letter topic.
 */
export function startDeliveryProjection(
  sources: { kafka: Kafka; codec: AvroCodec; producer: Producer; logger: Logger; redis: Redis },
  store: InboxStore,
  topic: string,
): Promise<Consumer> {
  return startProjection<Delivery>({
    ...sources,
    keys: DELIVERY_PROJECTION,
    record: 'eu.alertexchange.Delivery',
    topics: [topic],
    // The publish time is the router's header; a delivery without it (an operators'
    // notice) counts from when it was routed.
    apply: (delivery, read, fence) =>
      store.project(delivery, bodyOf(delivery), read, fence, read.publishedAt ?? delivery.routedAt),
  });
}

function bodyOf(delivery: Delivery): DeliveryBody {
  try {
    return webhookBody(delivery);
  } catch (cause) {
    // The message names the delivery, never the alert's text.
    throw new PoisonMessageError((cause as Error).message);
  }
}
