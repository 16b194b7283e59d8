/**
 * W3C Trace Context (traceparent) for an incoming request: the caller's trace is
 * continued when it sends a valid traceparent, otherwise a trace starts here. The
 * random source is passed in, so this stays pure. (OpenTelemetry spans take over in the
 * observability issue; the header format is the same.)
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  readonly traceId: string;
  readonly traceparent: string;
}

export function traceContextFor(
  header: string | undefined,
  randomHex: (bytes: number) => string,
): TraceContext {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  const valid = match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!) ? match : null;
  const traceId = valid ? valid[1]! : randomHex(16);
  const flags = valid ? valid[3]! : '01';
  return { traceId, traceparent: `00-${traceId}-${randomHex(8)}-${flags}` };
}
