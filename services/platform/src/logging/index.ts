import pino from 'pino';
import { trace } from '@opentelemetry/api';

/** The structured logger every service receives; pino underneath. */
export type Logger = pino.Logger;

/** Log levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Creates the JSON logger of a service. Log a fixed sentence plus identifiers
 * (`logger.info({ caseId }, 'Alert published')`), never an alert body: a child's
 * personal data must not reach a log line. A line written inside a span carries its
 * `trace_id` and `span_id`.
 */
export function createLogger(options: {
  service: string;
  level: LogLevel;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      name: options.service,
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceIds,
    },
    options.destination,
  );
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The active span's ids (telemetry/index.ts), for the log line written inside it. */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return /^0+$/.test(traceId) ? {} : { trace_id: traceId, span_id: spanId };
}
