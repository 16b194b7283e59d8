import type { Delivery, RoutingReason } from '../generated/avro-types';
import type { AlertView } from './minimisation';
import type { SealedAlertView } from '../personal-envelope';

/**
 * The body of a webhook push, as ../shared/CONTRACT.md ("Receiving") fixes it. The pull
 * inbox returns the same object, so a recipient handles both alike.
 */
export interface WebhookBody {
  /** Stable across retries: the recipient de-duplicates on it (it is also the webhook-id). */
  deliveryId: string;
  caseId: string;
  eventId: string;
  eventType: string;
  category: string;
  urgency: string;
  /** The alert minimised for the recipient by the router; null in deliveries from before it existed. */
  alert: AlertView | null;
  /** Why the recipient was chosen (docs/ROUTING.md). */
  routing: { reasons: RoutingReason[] };
  /** ISO-8601 (UTC): when an unacknowledged delivery is escalated to operators. */
  ackBy: string;
}

/**
 * A webhook body as a delivery carries it: the alert's personal part still sealed under
 * the case's key (docs/PRIVACY.md). `openBody` makes it the body a recipient is given.
 */
export type DeliveryBody = Omit<WebhookBody, 'alert'> & { alert: SealedAlertView | null };

/**
 * The webhook body of `delivery`, its alert's personal part still sealed. The alert is
 * the JSON the router wrote with minimiseAlert and sealView; it is passed through, not
 * cut again, so the dispatcher can never widen a view. Throws when the alert is not a
 * JSON object: such a delivery is poison, for the dead-letter topic.
 */
export function webhookBody(delivery: Delivery): DeliveryBody {
  return {
    deliveryId: delivery.deliveryId,
    caseId: delivery.caseId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    category: delivery.category,
    urgency: delivery.urgency,
    alert: delivery.alert === null ? null : parseAlert(delivery),
    routing: { reasons: delivery.reasons.map(({ rule, detail }) => ({ rule, detail })) },
    ackBy: new Date(delivery.ackBy).toISOString(),
  };
}

function parseAlert(delivery: Delivery): SealedAlertView {
  let alert: unknown;
  try {
    alert = JSON.parse(delivery.alert ?? 'null');
  } catch {
    // No cause: V8's SyntaxError quotes the text, which holds the child's data.
    throw new Error(`delivery ${delivery.deliveryId}: its alert is not JSON`);
  }
  if (typeof alert !== 'object' || alert === null || Array.isArray(alert)) {
    throw new Error(`delivery ${delivery.deliveryId}: its alert is not a JSON object`);
  }
  return alert as SealedAlertView;
}
