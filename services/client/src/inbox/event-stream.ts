import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** What the stream tells besides its events. */
export interface EventStreamHooks {
  /** The server's `retry:` field: how long to wait before reconnecting, in ms. */
  readonly onRetry?: (ms: number) => void;
}

/**
 * The Server-Sent Events (WHATWG HTML, "Server-sent events") of a byte stream, in order.
 * Parsing is eventsource-parser's: line endings, multi-line data, comments and `retry`
 * are handled as the standard says, across chunk boundaries.
 */
export async function* serverSentEvents(
  chunks: AsyncIterable<Uint8Array>,
  hooks: EventStreamHooks = {},
): AsyncGenerator<EventSourceMessage> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (event) => ready.push(event),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
  });
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* ready.splice(0);
  }
  parser.feed(decoder.decode());
  yield* ready.splice(0);
}
