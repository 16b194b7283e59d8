import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { traceIdOfParent, traceparentOf } from '@alert-exchange/platform';
import { traceContextFor, type TraceContext } from '../domain/trace-context';

const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * The trace a request runs in: its server span's (platform `traceRequests`, which continued
 * the caller's `traceparent` or started a trace), so the id the publishing API returns is
 * the id of the trace every service adds to. Without telemetry there is no span: the
 * caller's traceparent is continued (or one started) as before.
 */
export function requestTrace(req: Request): TraceContext {
  const traceparent = traceparentOf();
  const traceId = traceIdOfParent(traceparent);
  return traceparent && traceId
    ? { traceparent, traceId }
    : traceContextFor(req.get('traceparent'), randomHex);
}
