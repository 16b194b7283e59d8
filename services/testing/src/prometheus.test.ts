import { parseMetrics, sampleValue } from './prometheus';

const EXPOSITION = `# HELP target_info Target metadata
# TYPE target_info gauge
target_info{service_name="dispatcher"} 1
# HELP exchange_delivery_attempts_total Webhook attempts
# TYPE exchange_delivery_attempts_total counter
exchange_delivery_attempts_total{outcome="delivered"} 3
exchange_delivery_attempts_total{outcome="failed_retrying"} 2

exchange_delivery_latency_seconds_bucket{event_type="RAISED",le="0.5"} 1
exchange_delivery_latency_seconds_bucket{event_type="RAISED",le="+Inf"} 3
exchange_delivery_latency_seconds_bucket{event_type="UPDATED",le="+Inf"} 4
exchange_retry_backlog 0
odd{note="a \\"quoted\\" word"} 1.5
`;

describe('reading a Prometheus exposition', () => {
  const samples = parseMetrics(EXPOSITION);

  it('reads every sample with its labels, skipping comments and blank lines', () => {
    expect(samples).toHaveLength(8);
    expect(samples[1]).toEqual({
      name: 'exchange_delivery_attempts_total',
      labels: { outcome: 'delivered' },
      value: 3,
    });
    expect(samples.find((s) => s.name === 'odd')).toEqual({
      name: 'odd',
      labels: { note: 'a "quoted" word' },
      value: 1.5,
    });
  });

  it.each([
    ['one series by its labels', 'exchange_delivery_attempts_total', { outcome: 'delivered' }, 3],
    ['a sample without labels', 'exchange_retry_backlog', {}, 0],
    [
      'the +Inf bucket',
      'exchange_delivery_latency_seconds_bucket',
      { event_type: 'RAISED', le: '+Inf' },
      3,
    ],
    [
      'the sum of the series matching',
      'exchange_delivery_latency_seconds_bucket',
      { le: '+Inf' },
      7,
    ],
    [
      'nothing for a series not shown',
      'exchange_delivery_attempts_total',
      { outcome: 'dead_lettered' },
      undefined,
    ],
  ])('gives %s', (_name, metric, labels, value) => {
    expect(sampleValue(samples, metric, labels)).toBe(value);
  });
});
