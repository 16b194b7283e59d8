import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import {
  FileSpanExporter,
  contextFromHeaders,
  inSpan,
  telemetryConfig,
  traceIdOfParent,
  traceparentOf,
} from './index';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context in headers', () => {
  it.each([
    ['a valid traceparent', PARENT, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined],
    ['upper-case hex', PARENT.toUpperCase(), undefined],
    ['a truncated one', '00-4bf92f35-00f067aa0ba902b7-01', undefined],
    ['none', undefined, undefined],
  ])('reads the trace id of %s', (_name, header, traceId) => {
    expect(traceIdOfParent(header)).toBe(traceId);
  });

  it('continues a message’s traceparent, as a string or a Buffer header, and writes it back', () => {
    expect(traceparentOf(contextFromHeaders({ traceparent: PARENT }, ROOT_CONTEXT))).toBe(PARENT);
    expect(
      traceparentOf(contextFromHeaders({ traceparent: Buffer.from(PARENT) }, ROOT_CONTEXT)),
    ).toBe(PARENT);
  });

  it('gives no traceparent for a message without one, or with a malformed one', () => {
    expect(traceparentOf(contextFromHeaders({}, ROOT_CONTEXT))).toBeUndefined();
    expect(
      traceparentOf(contextFromHeaders({ traceparent: 'nonsense' }, ROOT_CONTEXT)),
    ).toBeUndefined();
    expect(traceparentOf(contextFromHeaders(undefined, ROOT_CONTEXT))).toBeUndefined();
  });
});

describe('spans', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'spans-')), 'spans.jsonl');
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'unit' }),
    spanProcessors: [new SimpleSpanProcessor(new FileSpanExporter(file))],
  });
  // As startTelemetry does: the async context manager, so a span is active in its work.
  provider.register();
  afterAll(() => provider.shutdown());
  const tracer = provider.getTracer('unit');
  const lines = () =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('continues the parent given as a traceparent, and the file exporter writes the span as a line', async () => {
    const seen = await inSpan(
      tracer,
      'webhook POST',
      { kind: SpanKind.CLIENT, parent: PARENT, attributes: { 'exchange.attempt': 2 } },
      async (span) => {
        expect(trace.getActiveSpan()).toBe(span);
        return span.spanContext();
      },
    );
    expect(seen.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(lines()).toContainEqual(
      expect.objectContaining({
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        parentSpanId: '00f067aa0ba902b7',
        name: 'webhook POST',
        kind: 'CLIENT',
        service: 'unit',
        attributes: { 'exchange.attempt': 2 },
      }),
    );
  });

  it('marks a failed span with the error’s type, never its message, and rethrows', async () => {
    class InputProblem extends Error {
      override name = 'InputProblem';
    }
    await expect(
      inSpan(tracer, 'failing', {}, () => Promise.reject(new InputProblem('Eleni was seen'))),
    ).rejects.toThrow('Eleni was seen');
    const failed = lines().find((l) => l.name === 'failing')!;
    expect(failed.status).toEqual({ code: 2, message: 'InputProblem' });
    expect(JSON.stringify(failed)).not.toContain('Eleni');
  });
});

describe('telemetry configuration', () => {
  it('exports nowhere by default, and names a bad variable', () => {
    expect(telemetryConfig({})).toEqual({
      otlpEndpoint: undefined,
      tracesFile: undefined,
      batchDelayMs: 2_000,
      metricIntervalMs: 15_000,
    });
    expect(
      telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlpEndpoint,
    ).toBe('http://collector:4318');
    expect(() => telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    );
  });
});
