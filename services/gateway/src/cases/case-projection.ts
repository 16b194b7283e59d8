import type { AlertEvent, RoutingRecord } from '@alert-exchange/contracts';
import {
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
  type Redis,
} from '@alert-exchange/platform';
import type { CaseStore } from './case-store';
import { startProjection } from './projection';
import { CASE_PROJECTION, ROUTING_PROJECTION } from './projection-keys';

interface Sources {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  store: CaseStore;
  logger: Logger;
  redis: Redis;
}

/**
 * Keeps the case store up to date from the alert topics, so that events published by
 * another gateway instance, or by one that died between Kafka's acknowledgement and its
 * own write to Redis, are known here too. Subscribes to the explicit list (kafkajs does
 * not see topics created after a pattern subscription): restart it when the list grows.
 */
export function startCaseProjection(
  sources: Sources,
  topics: readonly string[],
): Promise<Consumer> {
  const { store } = sources;
  return startProjection<AlertEvent>({
    ...sources,
    keys: CASE_PROJECTION,
    record: 'eu.alertexchange.AlertEvent',
    topics: [...topics],
    apply: (event, read, fence) => store.project(event, read.offset, fence),
  });
}

/**
 * Keeps the recipients of each case (and the view level each was given) from the
 * router's routing records, read_committed, for case reads by recipients.
 */
export function startRoutingProjection(sources: Sources, topic: string): Promise<Consumer> {
  const { store } = sources;
  return startProjection<RoutingRecord>({
    ...sources,
    keys: ROUTING_PROJECTION,
    record: 'eu.alertexchange.RoutingRecord',
    topics: [topic],
    apply: (record, _read, fence) => store.projectRouting(record, fence),
  });
}
