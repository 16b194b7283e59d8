import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router, type RequestHandler, type Response } from 'express';
import { NotAllowedError, type Logger } from '@alert-exchange/platform';
import { BOOTSTRAP_OPERATOR, type Caller } from '../auth/authenticate';
import { formatCursor, type InboxCursor } from '../domain/inbox-cursor';
import { shownInDeliveries } from '../domain/personal-data-reads';
import { inboxRequestOf, MAX_LIMIT, streamStartOf } from '../inbox/inbox-query';
import type { InboxEntry, InboxStore } from '../inbox/inbox-store';
import type { PersonalDataReads } from '../reads/personal-data-reads';
import { requestTrace } from './request-trace';

/** What the inbox routes work with; the timings are for tests. */
export interface InboxRouteDependencies {
  readonly store: InboxStore;
  /** Where every delivery shown is recorded before it is sent. */
  readonly reads: PersonalDataReads;
  readonly logger: Logger;
  /** How often a waiting request looks for new deliveries; default 250 ms. */
  readonly pollMs?: number;
  /** How often a quiet stream sends a comment, so that proxies keep it open; default 15 s. */
  readonly heartbeatMs?: number;
}

/** The calling organisation: every organisation of the directory has an inbox. */
const recipientOf: RequestHandler = (_req, res, next) => {
  const caller = res.locals.caller as Caller;
  next(
    caller.organisationId === BOOTSTRAP_OPERATOR.organisationId
      ? new NotAllowedError(
          'The bootstrap operator is not an organisation of the directory and receives no deliveries; use the API key of a directory organisation',
        )
      : undefined,
  );
};

/** Aborts when the client goes away, so that a waiting request stops polling Redis. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/** Sleeps `ms`, or less when `signal` aborts; never throws. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  sleep(ms, undefined, { signal }).catch(() => undefined);

/**
 * The pull inbox (contract: Receiving): each organisation reads the deliveries routed to
 * it, in order, as the webhook push would have carried them, by long poll or as
 * Server-Sent Events. A delivery read again (a replay, a cursor sent twice) is the same
 * deliveryId: recipients de-duplicate on it. Each delivery carrying an alert is recorded as
 * a PersonalDataRead before it is sent, every time it is sent.
 */
export function inboxRoutes(deps: InboxRouteDependencies): Router {
  const pollMs = deps.pollMs ?? 250;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const router = Router();

  router.get('/v1/inbox', recipientOf, async (req, res) => {
    const recipient = (res.locals.caller as Caller).organisationId;
    const { after, waitMs, limit } = inboxRequestOf(req.query);
    const gone = abortOnClose(res);
    const deadline = Date.now() + waitMs;
    let entries = await deps.store.page(recipient, after, limit);
    // Long poll: Redis is asked again every pollMs until something comes, the wait ends
    // or the client leaves. Simpler than pub/sub, and cheap (one ZRANGEBYSCORE).
    while (entries.length === 0 && Date.now() < deadline && !gone.aborted) {
      await pause(Math.min(pollMs, deadline - Date.now()), gone);
      if (!gone.aborted) entries = await deps.store.page(recipient, after, limit);
    }
    if (gone.aborted) return;
    // Audit: the page's reads are in Kafka before it is sent, or the answer is 503.
    await deps.reads.record(shownInDeliveries(entries.map((e) => e.body)), {
      reader: recipient,
      via: 'INBOX',
      traceId: requestTrace(req).traceId,
    });
    const last = entries.at(-1)?.cursor ?? after;
    res.json({
      deliveries: entries.map((e) => e.body),
      next: last ? formatCursor(last) : null,
    });
  });

  router.get('/v1/inbox/stream', recipientOf, async (req, res) => {
    const recipient = (res.locals.caller as Caller).organisationId;
    let cursor: InboxCursor | undefined = streamStartOf(req.get('last-event-id'), req.query);
    const read = {
      reader: recipient,
      via: 'INBOX_STREAM',
      traceId: requestTrace(req).traceId,
    } as const;
    /** The next page, its reads recorded in Kafka before any of it is written. */
    const nextPage = async (): Promise<InboxEntry[]> => {
      const entries = await deps.store.page(recipient, cursor, MAX_LIMIT);
      await deps.reads.record(shownInDeliveries(entries.map((e) => e.body)), read);
      return entries;
    };
    const gone = abortOnClose(res);
    // The first page is read and recorded before the status: Redis or Kafka failing now is
    // a 503 problem; later, the stream ends and the client reconnects with Last-Event-ID.
    let entries = await nextPage();
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Tells nginx-like proxies not to buffer the stream.
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    gone.addEventListener('abort', () => clearInterval(heartbeat));
    try {
      // An EventSource reconnects after `retry` ms with Last-Event-ID: the next cursor.
      await send(res, 'retry: 2000\n\n', gone);
      while (!gone.aborted) {
        for (const entry of entries) {
          // JSON.stringify escapes line breaks: the body is one data line.
          const event = `id: ${formatCursor(entry.cursor)}\nevent: delivery\ndata: ${JSON.stringify(entry.body)}\n\n`;
          await send(res, event, gone);
          cursor = entry.cursor;
        }
        if (entries.length < MAX_LIMIT) await pause(pollMs, gone);
        if (!gone.aborted) entries = await nextPage();
      }
    } catch (error) {
      // The status is sent: the stream ends and the client reconnects with Last-Event-ID.
      deps.logger.warn(
        { err: { message: (error as Error).message }, recipient },
        'Inbox stream ended by an error',
      );
    } finally {
      clearInterval(heartbeat);
      res.end();
    }
  });

  return router;
}

/** Writes `chunk`, waiting for a slow client to drain its buffer rather than piling up. */
async function send(res: Response, chunk: string, gone: AbortSignal): Promise<void> {
  if (gone.aborted || res.write(chunk)) return;
  await once(res, 'drain', { signal: gone }).catch(() => undefined);
}
