import { createHash } from 'node:crypto';

/**
 * The delivery id of (event, recipient): a UUID (RFC 9562 version 8, name-based on
 * SHA-256) of the two ids, so routing an event again yields the same id and a recipient
 * can de-duplicate on it (it is the webhook-id).
 */
export function deliveryIdOf(eventId: string, recipientId: string): string {
  const bytes = createHash('sha256').update(`delivery\0${eventId}\0${recipientId}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
