import type { AlertEvent } from '@alert-exchange/contracts';
import {
  ALERT_TOPIC_PATTERN,
  TopicWatch,
  SpanKind,
  UnavailableError,
  eventMessage,
  inSpan,
  meterOf,
  tracerOf,
  traceparentOf,
  type Admin,
  type AvroCodec,
  type Counter,
  type Logger,
  type Meter,
  type Producer,
} from '@alert-exchange/platform';

export const ALERT_EVENT_SUBJECT = 'eu.alertexchange.AlertEvent';

/** Where Kafka put an event: its partition and offset. */
export interface Position {
  readonly partition: number;
  readonly offset: string;
}

/**
 * Produces alert events to their country topic with the idempotent producer, acks=all,
 * and returns only once every in-sync replica has the event. Any failure is an
 * UnavailableError (503 with Retry-After): the caller retries with its Idempotency-Key.
 */
export class AlertPublisher {
  private constructor(
    private readonly codec: AvroCodec,
    private readonly producer: Producer,
    private readonly schemaId: number,
    private readonly published: Counter,
  ) {}

  /** `meter`: where `exchange_alerts_published` goes (the process's global meter without it). */
  static async open(
    codec: AvroCodec,
    producer: Producer,
    meter: Meter = meterOf('gateway'),
  ): Promise<AlertPublisher> {
    return new AlertPublisher(
      codec,
      producer,
      await codec.latestSchemaId(ALERT_EVENT_SUBJECT),
      meter.createCounter('exchange_alerts_published', {
        description: 'Alert events Kafka has taken (acks=all), by case category and country',
        unit: '{event}',
      }),
    );
  }

  /**
   * In a producer span of the request's trace (`traceparent` when there is no active
   * span): the message carries the span's traceparent, which the router continues.
   */
  async publish(event: AlertEvent, topic: string, traceparent: string): Promise<Position> {
    return inSpan(
      tracerOf('gateway'),
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        parent: traceparentOf() ? undefined : traceparent,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'exchange.event_type': event.eventType,
        },
      },
      () => this.send(event, topic, traceparentOf() ?? traceparent),
    );
  }

  private async send(event: AlertEvent, topic: string, traceparent: string): Promise<Position> {
    const value = await this.codec.encode(this.schemaId, event);
    try {
      const [metadata] = await this.producer.send({
        topic,
        acks: -1,
        messages: [
          eventMessage(value, {
            caseId: event.caseId,
            eventType: event.eventType,
            origin: event.originatingOrganisation,
            schemaId: this.schemaId,
            traceparent,
          }),
        ],
      });
      if (!metadata || metadata.errorCode !== 0 || metadata.baseOffset === undefined) {
        throw new Error(`Kafka answered ${JSON.stringify(metadata)}`);
      }
      this.published.add(1, {
        category: event.category,
        country: event.countries.caseCountry,
        event_type: event.eventType,
      });
      return { partition: metadata.partition, offset: metadata.baseOffset };
    } catch (cause) {
      throw new UnavailableError('Kafka did not take the event; nothing was published', {
        cause,
        retryAfterSeconds: 10,
      });
    }
  }
}

/**
 * The countries that have an alert topic (`alerts.<cc>`), from the cluster's topic list,
 * refreshed in the background: a country provisioned later is accepted without a restart.
 */
export class AlertTopics {
  private constructor(private readonly watch: TopicWatch) {}

  static async open(admin: Admin, logger: Logger, refreshMs = 10_000): Promise<AlertTopics> {
    return new AlertTopics(await TopicWatch.open(admin, ALERT_TOPIC_PATTERN, logger, refreshMs));
  }

  /** True when `country` (upper case) has an alert topic. */
  has(country: string): boolean {
    return this.watch.list().includes(`alerts.${country.toLowerCase()}`);
  }

  /** Every country with an alert topic, sorted. */
  list(): string[] {
    return this.watch.list().map((topic) => topic.slice('alerts.'.length).toUpperCase());
  }

  /** The alert topics themselves. */
  topics(): readonly string[] {
    return this.watch.list();
  }

  /** Calls `listener` with the new topic list when a country topic appears or goes. */
  onChange(listener: (topics: readonly string[]) => void): void {
    this.watch.onChange(listener);
  }

  close(): void {
    this.watch.close();
  }
}
