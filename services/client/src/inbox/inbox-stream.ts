import { setTimeout as sleep } from 'node:timers/promises';
import { ExchangeError, UnexpectedResponseError } from '../errors';
import type { Transport } from '../http/transport';
import type { Delivery, StreamedDelivery } from '../types';
import { serverSentEvents } from './event-stream';

/** Where to start the inbox stream, and how to stop it. */
export interface StreamOptions {
  /** A cursor (`next` of a page, or a streamed delivery's `cursor`); else the beginning. */
  readonly after?: string;
  /** Aborting it ends the iteration (the loop that reads it simply finishes). */
  readonly signal?: AbortSignal;
  /**
   * How long a connection may stay silent before it is taken for dead and reopened, in
   * ms; the exchange sends a comment every 15 s. Default 45 s.
   */
  readonly idleTimeoutMs?: number;
}

/** Before the server has said (`retry:`), how long to wait before reconnecting. */
const DEFAULT_RECONNECT_MS = 2_000;

/**
 * `GET /v1/inbox/stream` as an async iterable of deliveries. When the connection drops,
 * it reconnects after the server's `retry` delay with `Last-Event-ID` set to the last
 * delivery's cursor, so nothing is skipped (a delivery may come again: de-duplicate on
 * deliveryId). Opening the stream follows the client's retry policy; an error that it
 * gives up on (a 401, a 403, retries spent) is thrown from the loop.
 */
export async function* inboxStream(
  transport: Transport,
  options: StreamOptions = {},
): AsyncGenerator<StreamedDelivery> {
  let cursor = options.after;
  let reconnectMs = DEFAULT_RECONNECT_MS;
  const stopped = (): boolean => options.signal?.aborted === true;
  while (!stopped()) {
    // Ours, so that leaving the loop early closes the connection.
    const connection = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const signal = options.signal
      ? AbortSignal.any([options.signal, connection.signal])
      : connection.signal;
    try {
      const response = await transport.send({
        method: 'GET',
        path: '/v1/inbox/stream',
        query: { after: cursor },
        headers: cursor === undefined ? {} : { 'last-event-id': cursor },
        accept: 'text/event-stream',
        signal,
      });
      if (!response.body) return;
      // A connection lost without a FIN stays open for ever: silence ends it.
      idle = setTimeout(() => connection.abort(), options.idleTimeoutMs ?? 45_000);
      const events = serverSentEvents(
        heard(response.body, () => idle?.refresh()),
        {
          onRetry: (ms) => (reconnectMs = ms),
        },
      );
      for await (const event of events) {
        if (event.event !== 'delivery' || event.id === undefined) continue;
        cursor = event.id;
        yield { cursor: event.id, delivery: parseDelivery(event.data) };
      }
    } catch (error) {
      if (stopped()) return;
      // A connection dropped mid-stream reconnects; one that could not be opened throws.
      if (error instanceof ExchangeError) throw error;
    } finally {
      clearTimeout(idle);
      connection.abort();
    }
    await sleep(reconnectMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** The chunks of `body`, calling `onChunk` as each arrives. */
async function* heard(
  body: AsyncIterable<Uint8Array>,
  onChunk: () => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onChunk();
    yield chunk;
  }
}

function parseDelivery(data: string): Delivery {
  try {
    return JSON.parse(data) as Delivery;
  } catch (cause) {
    throw new UnexpectedResponseError('The inbox stream sent an event that is not JSON', false, {
      cause,
    });
  }
}
