import { createHash } from 'node:crypto';

/**
 * The Idempotency-Key of a row: derived from what identifies the event in the case
 * system (its case reference, event type and time), so that the same row read again
 * after a restart, or from a file dropped twice, carries the same key and the exchange
 * publishes it once (within its 24-hour window; the state file covers the rest).
 */
export function rowIdempotencyKey(originReference: string, eventType: string, occurredAt: string) {
  const digest = createHash('sha256')
    .update(JSON.stringify([originReference.trim(), eventType.trim(), occurredAt.trim()]))
    .digest('hex');
  return `csv-${digest}`;
}
