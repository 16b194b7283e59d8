import type { Meter } from '@opentelemetry/api';
import type { Admin } from 'kafkajs';
import type { Logger } from '../logging';

/** A partition's log as the broker reports it: `low` the first offset kept, `high` the next to be written. */
export interface PartitionEnds {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/** A consumer group's committed offset of a partition; `-1` when it has committed none. */
export interface CommittedOffset {
  readonly partition: number;
  readonly offset: string;
}

/**
 * How many records of a topic a group has still to read: the sum over partitions of the
 * end offset minus the committed one. A partition without a commit counts from its first
 * kept record (the exchange's groups start from the beginning), and so does one whose
 * committed offset retention has already removed. Transaction markers count too, so a
 * transactional topic may show one per partition that has none left to read.
 */
export function consumerLag(
  ends: readonly PartitionEnds[],
  committed: readonly CommittedOffset[],
): number {
  const offsets = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const { partition, low, high } of ends) {
    const from = offsets.get(partition) ?? -1n;
    const start = from < BigInt(low) ? BigInt(low) : from;
    if (BigInt(high) > start) lag += BigInt(high) - start;
  }
  return Number(lag);
}

/** A consumer group whose lag is reported, with the topics it reads (now). */
export interface WatchedGroup {
  readonly group: string;
  readonly topics: () => readonly string[];
}

/** How often the lag is read from Kafka at most. */
export const CONSUMER_LAG_REFRESH_MS = 15_000;

/**
 * Registers the observable gauge `exchange_consumer_lag` (attributes `group`, `topic`)
 * for `groups`. The lag is read from Kafka in the background, every `refreshMs`, and a
 * scrape reports the last values read: it never waits for Kafka. A failed read is logged
 * at debug and the previous value kept. Returns a function that stops the reading.
 */
export function observeConsumerLag(
  deps: { admin: Admin; meter: Meter; logger: Logger },
  groups: readonly WatchedGroup[],
  refreshMs = CONSUMER_LAG_REFRESH_MS,
): () => void {
  const { admin, meter, logger } = deps;
  /** Last lag per group, then topic. */
  const last = new Map<string, Map<string, number>>();
  let reading = false;

  const readGroup = async ({ group, topics }: WatchedGroup): Promise<void> => {
    const names = [...topics()];
    if (names.length === 0) return;
    const committed = await admin.fetchOffsets({ groupId: group, topics: names });
    const lags = last.get(group) ?? new Map<string, number>();
    for (const topic of names) {
      const ends = await admin.fetchTopicOffsets(topic);
      const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
      lags.set(topic, consumerLag(ends, offsets));
    }
    // A topic the group no longer reads is no longer reported.
    for (const topic of lags.keys()) if (!names.includes(topic)) lags.delete(topic);
    last.set(group, lags);
  };

  const refresh = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    try {
      for (const watched of groups) {
        await readGroup(watched).catch((error: unknown) =>
          logger.debug(
            { group: watched.group, err: { message: (error as Error).message } },
            'Consumer lag not read; the last value stays',
          ),
        );
      }
    } finally {
      reading = false;
    }
  };

  meter
    .createObservableGauge('exchange_consumer_lag', {
      description: 'Records a consumer group has still to read (end offset minus committed offset)',
      unit: '{record}',
    })
    .addCallback((result) => {
      for (const [group, lags] of last)
        for (const [topic, lag] of lags) result.observe(lag, { group, topic });
    });
  void refresh();
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();
  return () => clearInterval(timer);
}
