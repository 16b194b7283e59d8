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
      const events = serverSentEvents(response.body, { onRetry: (ms) => (reconnectMs = ms) });
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
      connection.abort();
    }
    await sleep(reconnectMs, undefined, { signal: options.signal }).catch(() => undefined);
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
