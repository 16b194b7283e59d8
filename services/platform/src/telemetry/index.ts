import { appendFileSync } from 'node:fs';
import {
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
  ROOT_CONTEXT,
  type Attributes,
  type Context,
  type Link,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ExportResultCode,
  W3CTraceContextPropagator,
  hrTimeToMicroseconds,
  type ExportResult,
} from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler, Response } from 'express';
import type { IHeaders } from 'kafkajs';
import { z } from 'zod';
import { env as envs, loadConfig, type Environment } from '../config';

/**
 * OpenTelemetry for every service (docs/OBSERVABILITY.md): one tracer provider and one
 * meter provider per process, W3C trace context carried in HTTP and Kafka headers, spans
 * exported over OTLP/HTTP and/or to a file of JSON lines, metrics on the service's own
 * `GET /metrics` (Prometheus text) and over OTLP. Span attributes are ids, names of
 * topics and organisations, states and numbers: never a child's data.
 */

/** Configuration of telemetry, from the standard OTEL_* variables and one of ours. */
export function telemetryConfig(environment: Environment) {
  const c = loadConfig(
    {
      /** Base URL of an OTLP/HTTP receiver (collector, Jaeger): `/v1/traces`, `/v1/metrics`. */
      OTEL_EXPORTER_OTLP_ENDPOINT: envs.url().optional(),
      /** A file to append every finished span to, one JSON object a line. */
      OTEL_TRACES_FILE: z.string().min(1).optional(),
      /** How long spans wait to be exported in batches. */
      OTEL_BSP_SCHEDULE_DELAY: envs.positiveInt().default(2_000),
      /** How often metrics are pushed over OTLP (the Prometheus endpoint is read on demand). */
      OTEL_METRIC_EXPORT_INTERVAL: envs.positiveInt().default(15_000),
    },
    environment,
  );
  return {
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    tracesFile: c.OTEL_TRACES_FILE,
    batchDelayMs: c.OTEL_BSP_SCHEDULE_DELAY,
    metricIntervalMs: c.OTEL_METRIC_EXPORT_INTERVAL,
  };
}

export type TelemetryConfig = ReturnType<typeof telemetryConfig>;

/** A service's telemetry: its tracer and meter, the Prometheus handler, and shutdown. */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** `GET /metrics`: every instrument of the process in the Prometheus text format. */
  readonly metricsHandler: RequestHandler;
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry for `service` and registers it globally (so `trace.getActiveSpan()`
 * works in the logger, and async code keeps its context). Without an endpoint or a file,
 * spans are made (ids for logs and headers) and dropped.
 */
export function startTelemetry(service: string, config: TelemetryConfig): Telemetry {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: service });
  const spanProcessors: SpanProcessor[] = [];
  const batch = (exporter: SpanExporter) =>
    new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.batchDelayMs });
  if (config.otlpEndpoint) {
    spanProcessors.push(batch(new OTLPTraceExporter({ url: `${config.otlpEndpoint}/v1/traces` })));
  }
  if (config.tracesFile) spanProcessors.push(batch(new FileSpanExporter(config.tracesFile)));
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  tracerProvider.register({ propagator: new W3CTraceContextPropagator() });

  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: MetricReader[] = [prometheus];
  if (config.otlpEndpoint) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${config.otlpEndpoint}/v1/metrics` }),
        exportIntervalMillis: config.metricIntervalMs,
      }),
    );
  }
  const meterProvider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(meterProvider);

  return {
    tracer: trace.getTracer(service),
    meter: meterProvider.getMeter(service),
    metricsHandler: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** The tracer of code that may run without `startTelemetry` (tests): a no-op then. */
export function tracerOf(name: string): Tracer {
  return trace.getTracer(name);
}

const propagator = new W3CTraceContextPropagator();

const headerGetter = {
  keys: (carrier: IHeaders) => Object.keys(carrier),
  get: (carrier: IHeaders, key: string) => {
    const raw = carrier[key];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * The context a message's (or request's) `traceparent` continues, or the root context
 * when it has none or a malformed one. Works without `startTelemetry`.
 */
export function contextFromHeaders(
  headers: IHeaders | undefined,
  base: Context = context.active(),
): Context {
  return headers ? propagator.extract(base, headers, headerGetter) : base;
}

/** The `traceparent` of a context (the active one by default), or undefined when it has no span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, {
    set: (c: Record<string, string>, k: string, v: string) => {
      c[k] = v;
    },
  });
  return carrier.traceparent;
}

/** The trace id of a `traceparent`, or undefined. */
export function traceIdOfParent(traceparent: string | undefined): string | undefined {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]!) ? match[1] : undefined;
}

/** Links the active span (a request's) to the span of `traceparent` (what it acts on). */
export function linkActiveSpanTo(traceparent: string): void {
  const target = trace.getSpanContext(contextFromHeaders({ traceparent }, ROOT_CONTEXT));
  if (target) trace.getActiveSpan()?.addLink({ context: target });
}

/**
 * Runs `work` in a span that continues `parent` (a context, or a `traceparent`), ends it
 * and records an error's type (never its message, which might quote input) as the status.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; parent?: Context | string; attributes?: Attributes; links?: Link[] },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent =
    typeof options.parent === 'string'
      ? contextFromHeaders({ traceparent: options.parent }, context.active())
      : (options.parent ?? context.active());
  const span = tracer.startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The server span of each HTTP request: continues the caller's `traceparent` (a malformed
 * one starts a new trace), named by method and route template once routed, with the
 * status code; the rest of the request runs in its context. Answers carry `traceparent`.
 */
export function traceRequests(tracer: Tracer): RequestHandler {
  return (req: Request, res: Response, next) => {
    const parent = contextFromHeaders(req.headers, context.active());
    const span = tracer.startSpan(
      `${req.method} ${req.path.split('/').slice(0, 3).join('/')}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    const parentHeader = traceparentOf(ctx);
    if (parentHeader) res.setHeader('traceparent', parentHeader);
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(ctx, next);
  };
}

/**
 * Appends finished spans to a file, one JSON object a line: `traceId`, `spanId`,
 * `parentSpanId`, `name`, `kind`, `service`, start and end in microseconds, attributes,
 * links and status. For `OTEL_TRACES_FILE`, when no collector is at hand.
 */
export class FileSpanExporter implements SpanExporter {
  constructor(private readonly file: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      const lines = spans.map((s) =>
        JSON.stringify({
          traceId: s.spanContext().traceId,
          spanId: s.spanContext().spanId,
          parentSpanId: s.parentSpanContext?.spanId ?? null,
          name: s.name,
          kind: SpanKind[s.kind],
          service: s.resource.attributes[ATTR_SERVICE_NAME],
          startUs: hrTimeToMicroseconds(s.startTime),
          endUs: hrTimeToMicroseconds(s.endTime),
          attributes: s.attributes,
          links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId })),
          status: s.status,
        }),
      );
      if (lines.length > 0) appendFileSync(this.file, `${lines.join('\n')}\n`);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}
}

export { SpanKind, SpanStatusCode, context as otelContext, trace as otelTrace };
export type { Span, Tracer, Meter, Context as TraceContext };
