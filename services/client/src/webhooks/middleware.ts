import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Delivery } from '../types';
import { MemoryDeduper, type DeliveryDeduper } from './deduper';
import { verifyWebhook, WebhookVerificationError } from './verify';

/** A request as Node or express hands it over; `body` is set by a body parser. */
export type WebhookRequest = IncomingMessage & { body?: unknown };

/** What the receiver knows of a push besides its delivery. */
export interface DeliveryContext {
  /** The `webhook-id` header: the deliveryId. */
  readonly webhookId: string;
  readonly request: WebhookRequest;
}

/** How the webhook middleware verifies, de-duplicates and hands over pushes. */
export interface WebhookMiddlewareOptions {
  /** The organisation's active `whsec_` secrets (two during a rotation). */
  readonly secrets?: readonly string[];
  /** The secrets for one request, when they depend on it (one endpoint, several orgs). */
  readonly secretsFor?: (request: WebhookRequest) => readonly string[] | Promise<readonly string[]>;
  /** Where processed deliveryIds are remembered; an in-memory LRU by default. */
  readonly dedupe?: DeliveryDeduper;
  /**
   * Called once per deliveryId with the verified delivery. Keep it short (store it, queue
   * it): the exchange waits 10 s for an answer. When it throws, the push is answered 500
   * and the exchange tries again later.
   */
  readonly onDelivery: (delivery: Delivery, context: DeliveryContext) => Promise<void> | void;
  /** Told of an error of onDelivery (for your logs); the push is answered 500 anyway. */
  readonly onError?: (error: unknown, delivery: Delivery) => void;
  /** The largest body accepted, in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number;
}

/** A Node/express request handler. */
export type WebhookHandler = (
  request: WebhookRequest,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** The body exactly as sent: the signature covers these bytes, not a re-serialised JSON. */
async function rawBodyOf(request: WebhookRequest, maxBytes: number): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body, 'utf8');
  if (request.body !== undefined || request.readableEnded)
    throw new Error(
      'webhookMiddleware needs the raw body: mount it before express.json(), or after express.raw({ type: "*/*" })',
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Answers with an RFC 9457 problem (or nothing, for 204). */
function answer(response: ServerResponse, status: number, detail?: string, headers = {}): void {
  if (detail === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const title = status === 401 ? 'Unauthorized' : status === 409 ? 'Conflict' : 'Error';
  response
    .writeHead(status, { 'content-type': 'application/problem+json', ...headers })
    .end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/**
 * Express (or plain Node) middleware receiving the exchange's webhook pushes: reads the
 * raw body, verifies its Standard Webhooks signature with any active secret (401
 * otherwise), de-duplicates on `webhook-id` (= deliveryId) and calls `onDelivery` once per
 * delivery, then answers 204. A push of a delivery already processed is answered 204 at
 * once; one being processed by another request gets 409 (the exchange tries again); an
 * error in onDelivery answers 500 and releases the claim, so the retry processes it.
 */
export function webhookMiddleware(options: WebhookMiddlewareOptions): WebhookHandler {
  if (!options.secrets && !options.secretsFor)
    throw new TypeError('webhookMiddleware needs secrets or secretsFor');
  const dedupe = options.dedupe ?? new MemoryDeduper();
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;

  const handle = async (request: WebhookRequest, response: ServerResponse): Promise<void> => {
    const raw = await rawBodyOf(request, maxBytes);
    if (raw === undefined) return answer(response, 413, `The body exceeds ${maxBytes} bytes`);
    const secrets = options.secretsFor ? await options.secretsFor(request) : options.secrets!;
    let delivery: Delivery;
    try {
      delivery = verifyWebhook(raw, request.headers, secrets);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return answer(response, 401, error.message);
    }
    const webhookId = String(request.headers['webhook-id']);
    const claim = await dedupe.claim(webhookId);
    if (claim === 'done') return answer(response, 204);
    if (claim === 'in-progress')
      return answer(response, 409, 'This delivery is being processed', { 'retry-after': '5' });
    try {
      await options.onDelivery(delivery, { webhookId, request });
    } catch (error) {
      await dedupe.release(webhookId);
      options.onError?.(error, delivery);
      return answer(response, 500, 'The delivery could not be processed; it will be retried');
    }
    await dedupe.complete(webhookId);
    answer(response, 204);
  };

  return (request, response, next) => {
    handle(request, response).catch(next);
  };
}
