import type { AlertEvent } from '@alert-exchange/contracts';
import {
  DEAD_LETTER_TOPIC,
  PoisonMessageError,
  deadLetterMessage,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';
import type { CaseStore } from './case-store';

/** Every country topic of alert events. */
export const ALERT_TOPICS = /^alerts\.[a-z]{2}$/;
const GROUP_ID = 'gateway-case-projection';

/**
 * Keeps the case store up to date from the alert topics (read_committed), so that events
 * published by another gateway instance, or by one that died between Kafka's
 * acknowledgement and its own write to Redis, are known here too. The gateway instances
 * share one consumer group; offsets live in Redis beside the cases (see CaseStore), and a
 * partition resumes from there when it is assigned. A message that is not a readable
 * AlertEvent goes to the dead-letter topic with its reason and is passed over.
 */
export async function startCaseProjection(options: {
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  store: CaseStore;
  logger: Logger;
}): Promise<Consumer> {
  const { kafka, codec, producer, store, logger } = options;
  const consumer = kafka.consumer({ groupId: GROUP_ID, readUncommitted: false });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    void (async () => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const offset = await store.resumeOffset(topic, partition);
          if (offset !== undefined) consumer.seek({ topic, partition, offset });
        }
      }
    })().catch((error: unknown) =>
      // Without a stored offset the partition is read from its start: slower, still right.
      logger.warn({ err: { message: (error as Error).message } }, 'Could not resume offsets'),
    );
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [ALERT_TOPICS], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      try {
        const { value } = await codec.decode<AlertEvent>(message.value);
        await store.project(value, topic, partition, message.offset);
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        logger.warn(
          { topic, partition, offset: message.offset, reason: error.reason },
          'Poison record sent to the dead-letter topic',
        );
        await producer.send({
          topic: DEAD_LETTER_TOPIC,
          acks: -1,
          messages: [
            deadLetterMessage(message, {
              topic,
              partition,
              offset: message.offset,
              consumer: GROUP_ID,
              reason: error.reason,
            }),
          ],
        });
        await store.raiseOffset(topic, partition, BigInt(message.offset) + 1n);
      }
    },
  });
  return consumer;
}
