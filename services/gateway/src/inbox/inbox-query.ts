import { z } from 'zod';
import { InputError, validate } from '@alert-exchange/platform';
import { parseCursor, type InboxCursor } from '../domain/inbox-cursor';

/** The longest long poll (contract: `wait` up to 30 seconds). */
export const MAX_WAIT_SECONDS = 30;
/** How many deliveries one answer holds at most, and by default. */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 50;

const CURSOR_MESSAGE = 'must be a cursor the inbox gave: next, or the id of a stream event';

/** `after`: a cursor; empty or absent reads from the beginning of the inbox. */
const after = z
  .string(CURSOR_MESSAGE)
  .optional()
  .transform((text, context): InboxCursor | undefined => {
    if (text === undefined || text === '') return undefined;
    const cursor = parseCursor(text);
    if (!cursor) context.addIssue({ code: 'custom', message: CURSOR_MESSAGE });
    return cursor;
  });

/** A whole number of a query string within [min, max]; `1.5`, `-1` and `ten` are refused. */
const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string(message)
    .regex(/^\d{1,6}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message))
    .optional()
    .transform((value) => value ?? fallback);
};

/**
 * The query of `GET /v1/inbox`. Query parameters are named in problems as `/query/<name>`
 * (JSON Pointers into `{query: {...}}`), beside the body's `/<member>`. Unknown
 * parameters are ignored (a client may add its own, e.g. against caches).
 */
export const InboxQuery = z.object({
  query: z.object({
    after,
    wait: wholeNumber(0, MAX_WAIT_SECONDS, 0),
    limit: wholeNumber(1, MAX_LIMIT, DEFAULT_LIMIT),
  }),
});

/** The query of `GET /v1/inbox/stream`: where to start, unless Last-Event-ID says. */
export const StreamQuery = z.object({ query: z.object({ after }) });

export interface InboxRequest {
  readonly after: InboxCursor | undefined;
  readonly waitMs: number;
  readonly limit: number;
}

/** Reads the inbox query, or throws an InputError naming each bad parameter. */
export function inboxRequestOf(query: unknown): InboxRequest {
  const { query: q } = validate(InboxQuery, { query }, 'The query');
  return { after: q.after, waitMs: q.wait * 1_000, limit: q.limit };
}

/**
 * Where a stream starts: after the `Last-Event-ID` an EventSource sends when it
 * reconnects, which wins over the `after` of the URL it reconnects to; else `after`.
 */
export function streamStartOf(
  lastEventId: string | undefined,
  query: unknown,
): InboxCursor | undefined {
  if (lastEventId !== undefined && lastEventId !== '') {
    const cursor = parseCursor(lastEventId.trim());
    // Headers are named the way the Idempotency-Key header is: in the message, path ''.
    if (!cursor)
      throw new InputError('The Last-Event-ID header is not a cursor of this inbox', [
        { path: '', message: `Last-Event-ID ${CURSOR_MESSAGE}` },
      ]);
    return cursor;
  }
  return validate(StreamQuery, { query }, 'The query').query.after;
}
