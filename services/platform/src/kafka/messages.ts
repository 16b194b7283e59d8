import type { IHeaders, Message } from 'kafkajs';

/** Header names every event message carries (docs/SCHEMAS.md, "Messages"). */
export const EVENT_HEADERS = {
  traceparent: 'traceparent',
  eventType: 'ax-event-type',
  origin: 'ax-origin',
  schemaId: 'ax-schema-id',
  /** Epoch milliseconds when the exchange accepted the event; on what the router writes. */
  publishedAt: 'ax-published-at',
} as const;

/** What identifies an event message besides its Avro value. */
export interface EventMessageMeta {
  /** The message key: the case id, so that the events of a case stay in order. */
  readonly caseId: string;
  readonly eventType: string;
  /** Directory id of the originating organisation. */
  readonly origin: string;
  readonly schemaId: number;
  /** W3C trace context of the request that caused the event. */
  readonly traceparent?: string;
  /** When the exchange accepted the event (epoch ms): the start of the latency metrics. */
  readonly publishedAt?: number;
}

/** A Kafka message of an encoded event: key = caseId, headers per EVENT_HEADERS. */
export function eventMessage(value: Buffer, meta: EventMessageMeta): Message {
  const headers: IHeaders = {
    [EVENT_HEADERS.eventType]: meta.eventType,
    [EVENT_HEADERS.origin]: meta.origin,
    [EVENT_HEADERS.schemaId]: String(meta.schemaId),
  };
  if (meta.traceparent) headers[EVENT_HEADERS.traceparent] = meta.traceparent;
  if (meta.publishedAt !== undefined) headers[EVENT_HEADERS.publishedAt] = String(meta.publishedAt);
  return { key: meta.caseId, value, headers };
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
}

/** Reads the event headers of a consumed message; absent headers are undefined. */
export function readEventMeta(message: {
  key: Buffer | null;
  headers?: IHeaders;
}): Partial<EventMessageMeta> {
  const schemaId = headerText(message.headers, EVENT_HEADERS.schemaId);
  const meta: { -readonly [K in keyof EventMessageMeta]?: EventMessageMeta[K] } = {};
  if (message.key) meta.caseId = message.key.toString();
  const eventType = headerText(message.headers, EVENT_HEADERS.eventType);
  if (eventType !== undefined) meta.eventType = eventType;
  const origin = headerText(message.headers, EVENT_HEADERS.origin);
  if (origin !== undefined) meta.origin = origin;
  if (schemaId !== undefined && /^\d+$/.test(schemaId)) meta.schemaId = Number(schemaId);
  const traceparent = headerText(message.headers, EVENT_HEADERS.traceparent);
  if (traceparent !== undefined) meta.traceparent = traceparent;
  const publishedAt = headerText(message.headers, EVENT_HEADERS.publishedAt);
  if (publishedAt !== undefined && /^\d+$/.test(publishedAt))
    meta.publishedAt = Number(publishedAt);
  return meta;
}

/** The alert topics, one per country of the case: `alerts.<cc>`, cc lower case. */
export const ALERT_TOPIC_PATTERN = /^alerts\.[a-z]{2}$/;

/** The dead-letter topic every consumer sends poison messages to. */
export const DEAD_LETTER_TOPIC = 'dead-letter';

/**
 * A poison message as it goes to the dead-letter topic: the original key and value
 * untouched, the reason and the origin (topic, partition, offset, consumer) in headers.
 */
export function deadLetterMessage(
  original: { key: Buffer | null; value: Buffer | null; headers?: IHeaders },
  origin: { topic: string; partition: number; offset: string; consumer: string; reason: string },
): Message {
  return {
    key: original.key,
    value: original.value,
    headers: {
      ...original.headers,
      'ax-dlq-reason': origin.reason,
      'ax-dlq-topic': origin.topic,
      'ax-dlq-partition': String(origin.partition),
      'ax-dlq-offset': origin.offset,
      'ax-dlq-consumer': origin.consumer,
    },
  };
}

/**
 * Sends a poison message to the dead-letter topic (acks=all) with its reason and origin,
 * and logs where it came from and why (never its content).
 */
export async function sendToDeadLetter(
  producer: {
    send(record: { topic: string; acks: number; messages: Message[] }): Promise<unknown>;
  },
  original: { key: Buffer | null; value: Buffer | null; headers?: IHeaders },
  origin: { topic: string; partition: number; offset: string; consumer: string; reason: string },
  logger: { warn(fields: object, message: string): void },
): Promise<void> {
  logger.warn(
    {
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.offset,
      reason: origin.reason,
    },
    'Poison record sent to the dead-letter topic',
  );
  await producer.send({
    topic: DEAD_LETTER_TOPIC,
    acks: -1,
    messages: [deadLetterMessage(original, origin)],
  });
}
