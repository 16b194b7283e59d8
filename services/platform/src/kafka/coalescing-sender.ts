import type { CompressionTypes, Producer } from 'kafkajs';
import { ExchangeError } from '../errors';
import {
  positionsOf,
  produceRequestOf,
  sendFailure,
  type PartitionedRecord,
  type RecordPosition,
} from './coalescing';

interface Pending {
  readonly record: PartitionedRecord;
  readonly resolve: (position: RecordPosition) => void;
  readonly reject: (error: ExchangeError) => void;
}

/**
 * Sends one-record writes of many concurrent callers through one idempotent producer
 * without making each wait for the others' round trips. kafkajs holds a lock per broker for
 * the whole round trip of an idempotent producer's request (`acquireBrokerLock` in
 * `producer/sendMessages.js`), so one-record sends go one round trip after another. Here
 * the first record goes at once; every record written while a request is under way goes
 * in the next request, together, in the order written (so a partition's records keep the
 * callers' order), acks=all. Each caller gets its own record's position, or the error of
 * the request it was in: every caller of a failed request is rejected with it (retriable
 * per `isRetriable`), and the records after it go in the next request as usual.
 *
 * Records name their partition: a keyed record whose partition the producer's partitioner
 * would choose cannot be placed in the answer before the request is made.
 */
export class CoalescingSender {
  private queue: Pending[] = [];
  private sending = false;
  private readonly maxRecords: number;

  constructor(
    private readonly producer: Pick<Producer, 'sendBatch'>,
    private readonly options: {
      /** At most this many records per request (default 500); the rest go in the next. */
      readonly maxRecordsPerRequest?: number;
      readonly compression?: CompressionTypes;
    } = {},
  ) {
    this.maxRecords = Math.max(1, options.maxRecordsPerRequest ?? 500);
  }

  /** Resolves once every in-sync replica has the record (acks=all), with where it is. */
  send(record: PartitionedRecord): Promise<RecordPosition> {
    return new Promise<RecordPosition>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  /** Records waiting for the request under way to finish. */
  get waiting(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxRecords);
        await this.request(batch);
      }
    } finally {
      this.sending = false;
    }
  }

  /** One produce request for `batch`; settles every caller in it and never throws. */
  private async request(batch: Pending[]): Promise<void> {
    try {
      const request = produceRequestOf(batch.map((p) => p.record));
      const metadata = await this.producer.sendBatch({
        acks: -1,
        topicMessages: request.topicMessages,
        ...(this.options.compression === undefined
          ? {}
          : { compression: this.options.compression }),
      });
      positionsOf(request, metadata).forEach((position, i) => {
        if (position instanceof ExchangeError) batch[i]!.reject(position);
        else batch[i]!.resolve(position);
      });
    } catch (cause) {
      const error = sendFailure(cause, batch.length);
      for (const p of batch) p.reject(error);
    }
  }
}
