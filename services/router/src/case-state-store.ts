import { randomUUID } from 'node:crypto';
import type { RoutedCase as RoutedCaseRecord } from '@alert-exchange/contracts';
import {
  PoisonMessageError,
  UnavailableError,
  type AvroCodec,
  type Kafka,
  type Logger,
} from '@alert-exchange/platform';
import type { Message } from 'kafkajs';
import type { RoutedCase } from './domain/routing';

export const ROUTED_CASE_SUBJECT = 'eu.alertexchange.RoutedCase';
const BARRIER_HEADER = 'ax-barrier';

/** The routed-case record as the domain sees it, and back. */
export function fromRecord(record: RoutedCaseRecord): RoutedCase {
  return {
    caseId: record.caseId,
    originator: record.originator,
    recipients: Object.fromEntries(
      record.recipients.map((r) => [r.organisationId, r.viewLevel]),
    ) as RoutedCase['recipients'],
    countries: record.countries,
    sequence: Number(record.sequence),
    closed: record.closed,
    recentEventIds: record.recentEventIds,
  };
}

export function toRecord(state: RoutedCase): RoutedCaseRecord {
  return {
    caseId: state.caseId,
    originator: state.originator,
    recipients: Object.entries(state.recipients)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([organisationId, viewLevel]) => ({ organisationId, viewLevel })),
    countries: state.countries,
    sequence: state.sequence,
    closed: state.closed,
    recentEventIds: state.recentEventIds,
  };
}

/**
 * A barrier record: written by a new owner of a partition index right after it has
 * fenced the previous owner's transactional producer, and committed in its own
 * transaction. Every state record committed before it is the index's state; nothing can
 * commit after it but the new owner. Tombstone-valued, so compaction drops old ones.
 */
export function barrierMessage(partition: number, nonce: string): Message {
  return {
    partition,
    key: `__barrier__${partition}`,
    value: null,
    headers: { [BARRIER_HEADER]: nonce },
  };
}

/**
 * Reads partitions of the state topic from their start up to the barrier each carries
 * (`nonces`: partition → barrier nonce), read_committed, and returns the cases found in
 * each. A throw-away consumer group, so every instance can read every partition.
 */
export async function restoreState(options: {
  kafka: Kafka;
  codec: AvroCodec;
  topic: string;
  nonces: ReadonlyMap<number, string>;
  logger: Logger;
  timeoutMs?: number;
}): Promise<Map<number, Map<string, RoutedCase>>> {
  const { kafka, codec, topic, nonces } = options;
  const found = new Map<number, Map<string, RoutedCase>>(
    [...nonces.keys()].map((p) => [p, new Map()]),
  );
  const waiting = new Set(nonces.keys());
  const consumer = kafka.consumer({
    groupId: `router-restore-${randomUUID()}`,
    readUncommitted: false,
  });
  let done: () => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const cases = found.get(partition);
        if (!cases || !waiting.has(partition)) return;
        const barrier = message.headers?.[BARRIER_HEADER]?.toString();
        if (barrier !== undefined) {
          if (barrier === nonces.get(partition)) {
            waiting.delete(partition);
            if (waiting.size === 0) done();
          }
          return;
        }
        const caseId = message.key?.toString();
        if (!caseId) return;
        if (message.value === null) {
          cases.delete(caseId);
          return;
        }
        try {
          const { value } = await codec.decode<RoutedCaseRecord>(message.value);
          cases.set(caseId, fromRecord(value));
        } catch (error) {
          // Written only by the router in transactions: a record we cannot read is a
          // fault to stop on, not input to pass over.
          if (error instanceof PoisonMessageError)
            failed(new Error(`${topic}[${partition}]@${message.offset}: ${error.reason}`));
          throw error;
        }
      },
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    await Promise.race([
      finished,
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new UnavailableError(
                `${topic} partitions ${[...waiting].join(',')} not restored within ${timeoutMs / 1000} s`,
              ),
            ),
          timeoutMs,
        ).unref(),
      ),
    ]);
    return found;
  } finally {
    await consumer.disconnect();
  }
}
