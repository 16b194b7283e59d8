import type { Message, RecordMetadata, TopicMessages } from 'kafkajs';
import { ExchangeError, UnavailableError } from '../errors';

/** One record for a partition chosen by the caller. */
export interface PartitionedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Message['headers'];
}

/** Where Kafka put a record: its topic, partition and offset. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Several callers' records as one produce request, and where each sits in it. */
export interface ProduceRequest {
  readonly topicMessages: TopicMessages[];
  /** Per record, in the order given: its index among the records of its partition. */
  readonly slots: ReadonlyArray<{ topic: string; partition: number; index: number }>;
}

/**
 * Groups records into one request, keeping the order they were given within each
 * partition: Kafka gives a partition's records of one request consecutive offsets from the
 * batch's base offset, in that order, so each record's offset is base + its index.
 */
export function produceRequestOf(records: readonly PartitionedRecord[]): ProduceRequest {
  const byTopic = new Map<string, Message[]>();
  const counts = new Map<string, number>();
  const slots = records.map(({ topic, partition, key, value, headers }) => {
    const messages = byTopic.get(topic) ?? [];
    byTopic.set(topic, messages);
    messages.push({
      partition,
      value,
      ...(key === undefined ? {} : { key }),
      ...(headers === undefined ? {} : { headers }),
    });
    const at = `${partition}\u0000${topic}`;
    const index = counts.get(at) ?? 0;
    counts.set(at, index + 1);
    return { topic, partition, index };
  });
  return {
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    slots,
  };
}

/**
 * Each record's position from the broker's answer to its request, or the error that
 * belongs to it: its partition missing from the answer, answered with an error code, or
 * without a base offset (acks=0 answers nothing).
 */
export function positionsOf(
  request: ProduceRequest,
  metadata: readonly RecordMetadata[],
): Array<RecordPosition | ExchangeError> {
  const answers = new Map(metadata.map((m) => [`${m.partition}\u0000${m.topicName}`, m]));
  return request.slots.map(({ topic, partition, index }) => {
    const answer = answers.get(`${partition}\u0000${topic}`);
    const base = answer?.baseOffset ?? answer?.offset;
    if (!answer || answer.errorCode !== 0 || base === undefined || !/^\d+$/.test(base)) {
      return new UnavailableError(
        `Kafka did not say where it put a record of ${topic}[${partition}]: ${JSON.stringify(answer ?? null)}`,
      );
    }
    return { topic, partition, offset: BigInt(base) + BigInt(index) };
  });
}

/**
 * A failed produce request as the exchange's error, the same for every caller in it.
 * kafkajs marks a request whose retries ran out as not retriable (its own retries are
 * over), but a broker that did not answer may answer later: that is retriable for us
 * (UnavailableError). What kafkajs refuses as such (a record too large, a topic not
 * allowed) stays not retriable.
 */
export function sendFailure(cause: unknown, records: number): ExchangeError {
  const error = cause as { name?: string; retriable?: boolean } | undefined;
  const what = records === 1 ? 'the record' : `any of ${records} records`;
  if (error?.name === 'KafkaJSNumberOfRetriesExceeded' || error?.retriable !== false) {
    return new UnavailableError(`Kafka did not take ${what}; nothing was confirmed`, { cause });
  }
  return new ExchangeError(`Kafka refused ${what}`, { retriable: false, cause });
}
