import pino from 'pino';
import { trace } from '@opentelemetry/api';

/** The structured logger every service receives; pino underneath. */
export type Logger = pino.Logger;

/** Log levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields no log line may carry, at the top level or one level down (pino's redaction,
 * fast-redact paths): credentials (an Authorization header, API keys, webhook secrets,
 * passwords) and a child's data (an alert, a case body, a child). Defence in depth: the
 * services log identifiers only, and tests/delivery-pipeline.test.ts searches every line
 * for the child's data and every secret.
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  ...['apiKey', 'secret', 'secrets', 'webhookSecret', 'password', 'token'].flatMap((field) => [
    field,
    `*.${field}`,
  ]),
  ...['alert', 'child', 'body', 'personal'].flatMap((field) => [field, `*.${field}`]),
];

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
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
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
