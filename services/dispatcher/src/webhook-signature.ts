import { createHmac } from 'node:crypto';
import { ExchangeError } from '@alert-exchange/platform';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme"):
 * `v1,` and the base64 HMAC-SHA256 of "id.timestamp.body", keyed with the bytes of the
 * organisation's `whsec_` secret. Recipients verify with any Standard Webhooks library.
 */

/** One webhook to sign. */
export interface WebhookToSign {
  /** The deliveryId: the recipient de-duplicates on it. */
  readonly id: string;
  /** Unix time in whole seconds, when the attempt is made (recipients refuse stale ones). */
  readonly timestamp: number;
  /** The exact bytes sent (as UTF-8): any change, even whitespace, breaks the signature. */
  readonly body: string;
  /** Every active secret of the recipient (`whsec_...`), newest first. */
  readonly secrets: readonly string[];
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** `whsec_` and base64 (the gateway issues 32 random bytes). */
const SECRET_FORMAT = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key of a secret. The error never shows the secret. */
function keyOf(secret: string): Buffer {
  if (!SECRET_FORMAT.test(secret) || secret.length === 'whsec_'.length) {
    throw new ExchangeError('a webhook secret is not whsec_ followed by base64');
  }
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

/**
 * The `webhook-signature` header: `v1,<signature>` for every secret, space-separated.
 * During a rotation the recipient holds the old secret or the new one, and the standard
 * accepts a header whose signatures match either, so signing with both lets it switch
 * whenever it likes. Throws an ExchangeError (not retriable) without secrets, for a
 * malformed secret, or for a timestamp that is not whole seconds.
 */
export function signWebhook(webhook: WebhookToSign): string {
  if (webhook.secrets.length === 0) {
    throw new ExchangeError(`no active webhook secret to sign delivery ${webhook.id}`);
  }
  // Unix seconds; a millisecond clock reading (above 10^11, the year 5138) is a bug.
  if (
    !Number.isSafeInteger(webhook.timestamp) ||
    webhook.timestamp < 0 ||
    webhook.timestamp >= 1e11
  ) {
    throw new ExchangeError(`webhook timestamp must be whole seconds, got ${webhook.timestamp}`);
  }
  // Standard Webhooks: sign id.timestamp.body.
  const signed = `${webhook.id}.${webhook.timestamp}.${webhook.body}`;
  const signature = (secret: string): string =>
    createHmac('sha256', keyOf(secret)).update(signed, 'utf8').digest('base64');
  return webhook.secrets.map((secret) => `v1,${signature(secret)}`).join(' ');
}

/** The three Standard Webhooks headers of `webhook`. */
export function webhookHeaders(webhook: WebhookToSign): WebhookHeaders {
  return {
    'webhook-id': webhook.id,
    'webhook-timestamp': String(webhook.timestamp),
    'webhook-signature': signWebhook(webhook),
  };
}
