import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 8, on SHA-256) of `parts`: the same parts always
 * give the same id, so a record written again after a crash or a replay carries the id
 * it had, and readers de-duplicate on it (deliveryId, escalationId).
 */
export function nameUuid(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\0')).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
