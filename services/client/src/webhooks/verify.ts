import { Webhook } from 'standardwebhooks';
import type { Delivery } from '../types';

/** Request headers as Node (`req.headers`) or fetch (`Headers`) gives them. */
export type WebhookHeaders =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A push whose signature, timestamp or headers do not verify: answer it 401. */
export class WebhookVerificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? (value as readonly string[]).join(' ') : (value as string);
}

/**
 * Verifies a push of the exchange per Standard Webhooks (HMAC-SHA256 of
 * `id.timestamp.body` with the organisation's `whsec_` secret, timestamp within five
 * minutes) on the body exactly as received, and returns the delivery it carries. Any of
 * `secrets` may match: during a rotation the exchange signs with both active secrets.
 * Throws `WebhookVerificationError` when none does.
 */
export function verifyWebhook(
  rawBody: string | Buffer,
  headers: WebhookHeaders,
  secrets: readonly string[],
): Delivery {
  const signed: Record<string, string> = {};
  for (const name of SIGNED_HEADERS) {
    const value = headerOf(headers, name);
    if (value === undefined) throw new WebhookVerificationError(`Missing header ${name}`);
    signed[name] = value;
  }
  if (secrets.length === 0) throw new WebhookVerificationError('No signing secret to verify with');
  let lastError: unknown;
  for (const secret of secrets) {
    try {
      return new Webhook(secret).verify(rawBody, signed) as Delivery;
    } catch (error) {
      lastError = error;
    }
  }
  throw new WebhookVerificationError('No signing secret verifies this push', { cause: lastError });
}
