import {
  deadLettersCounter,
  latencyHistogram,
  metricLabel,
  secondsBetween,
  type Meter,
} from '@alert-exchange/platform';
import type { EscalationReason, StatusState } from './domain/delivery-progress';

/**
 * The dispatcher's metrics (docs/OBSERVABILITY.md): attempts by outcome, the latency from
 * an event's publication to its delivery, dead letters, escalations and the deliveries
 * waiting for a retry. Each is recorded once its delivery-status record is written, so an
 * attempt whose record Kafka did not take (and which is made again) counts once.
 */
export function deliveryMetrics(meter: Meter, retryBacklog: () => number) {
  const attempts = meter.createCounter('exchange_delivery_attempts', {
    description: 'Webhook attempts, by the state they led to',
    unit: '{attempt}',
  });
  const latency = latencyHistogram(
    meter,
    'exchange_delivery_latency_seconds',
    'From the event’s publication by the gateway to a 2xx from the recipient’s webhook',
  );
  const deadLetters = deadLettersCounter(meter);
  const escalations = meter.createCounter('exchange_escalations', {
    description: 'Deliveries escalated to the operators',
    unit: '{escalation}',
  });
  meter
    .createObservableGauge('exchange_retry_backlog', {
      description: 'Deliveries owned here whose last attempt failed, waiting for the next',
      unit: '{delivery}',
    })
    .addCallback((result) => result.observe(retryBacklog()));

  return {
    /** An attempt recorded as `state` at `at`, of a delivery of an event published at `publishedAt`. */
    attempted(
      state: StatusState,
      delivery: { eventType: string; publishedAt: number },
      at: number,
    ) {
      attempts.add(1, { outcome: metricLabel(state) });
      if (state === 'DELIVERED')
        latency.record(secondsBetween(delivery.publishedAt, at), {
          event_type: delivery.eventType,
        });
      if (state === 'DEAD_LETTERED') deadLetters.add(1, { reason: 'schedule_exhausted' });
    },
    /** A deliveries record that could not be read went to the dead-letter topic. */
    unreadable() {
      deadLetters.add(1, { reason: 'unreadable_delivery' });
    },
    escalated(reason: EscalationReason) {
      escalations.add(1, { reason: metricLabel(reason) });
    },
  };
}
