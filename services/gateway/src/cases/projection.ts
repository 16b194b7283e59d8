import {
  readEventMeta,
  PoisonMessageError,
  sendToDeadLetter,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';

/** Where a projection keeps the next offset of each partition it has applied. */
export interface ProjectionOffsets {
  resume(topic: string, partition: number): Promise<string | undefined>;
  raise(topic: string, partition: number, next: bigint): Promise<void>;
}

/**
 * Keeps a Redis projection of Avro topics up to date (read_committed). The gateway
 * instances share the consumer group; offsets are kept by the projection itself, in the
 * same store as what they describe (`apply` must move them), and a partition resumes
 * from there when it is assigned: if Redis loses its last writes, it loses the offsets
 * with them and the records are read again. A record that cannot be read goes to the
 * dead-letter topic with its reason and is passed over.
 */
export async function startProjection<T>(options: {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  logger: Logger;
  groupId: string;
  topics: Array<string | RegExp>;
  /** The full name of the records the topics carry: any other record is poison. */
  record: string;
  offsets: ProjectionOffsets;
  apply: (
    value: T,
    topic: string,
    partition: number,
    offset: string,
    traceparent: string | undefined,
    publishedAt: number | undefined,
  ) => Promise<void>;
}): Promise<Consumer> {
  const { kafka, codec, producer, logger, groupId, offsets } = options;
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    void (async () => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const offset = await offsets.resume(topic, partition);
          if (offset !== undefined) consumer.seek({ topic, partition, offset });
        }
      }
    })().catch((error: unknown) =>
      // Without a stored offset the partition is read from its start: slower, still right.
      logger.warn({ err: { message: (error as Error).message } }, 'Could not resume offsets'),
    );
  });
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      try {
        const { value } = await codec.decode<T>(message.value, options.record);
        await options.apply(
          value,
          topic,
          partition,
          message.offset,
          readEventMeta(message).traceparent,
          readEventMeta(message).publishedAt,
        );
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        await sendToDeadLetter(
          producer,
          message,
          { topic, partition, offset: message.offset, consumer: groupId, reason: error.reason },
          logger,
        );
        await offsets.raise(topic, partition, BigInt(message.offset) + 1n);
      }
    },
  });
  return consumer;
}
