import { nameUuid } from '@alert-exchange/platform';

/**
 * The delivery id of (event, recipient): a name-based UUID of the two ids, so routing an
 * event again yields the same id and a recipient can de-duplicate on it (it is the
 * webhook-id).
 */
export function deliveryIdOf(eventId: string, recipientId: string): string {
  return nameUuid('delivery', eventId, recipientId);
}
