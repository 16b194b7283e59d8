import { deadLettersCounter, type Meter } from '@alert-exchange/platform';

/** What one routed event adds to the metrics. */
export interface RoutedEvent {
  readonly eventType: string;
  readonly recipients: number;
}

/** Recipients per event: a hotline or two, up to a mediator network of 40 countries and more. */
const FANOUT_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];

/**
 * The router's metrics (docs/OBSERVABILITY.md): events routed and their fan-out, and
 * alert records it could not route. Recorded only after the batch's transaction has
 * committed, so a batch aborted and read again is counted once.
 */
export function routingMetrics(meter: Meter) {
  const routed = meter.createCounter('exchange_events_routed', {
    description: 'Alert events routed (deliveries and routing record committed)',
    unit: '{event}',
  });
  const fanout = meter.createHistogram('exchange_routing_fanout', {
    description: 'Recipients per routed event',
    unit: '{recipient}',
    advice: { explicitBucketBoundaries: FANOUT_BUCKETS },
  });
  const deadLetters = deadLettersCounter(meter);
  return {
    /** A committed batch: its routed events and how many of its records were dead-lettered. */
    committed(events: readonly RoutedEvent[], deadLettered: number): void {
      for (const { eventType, recipients } of events) {
        routed.add(1, { event_type: eventType });
        fanout.record(recipients, { event_type: eventType });
      }
      if (deadLettered > 0) deadLetters.add(deadLettered, { reason: 'unroutable_alert' });
    },
  };
}
