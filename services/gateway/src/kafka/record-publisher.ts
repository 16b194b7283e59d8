import {
  EVENT_HEADERS,
  UnavailableError,
  type AvroCodec,
  type Producer,
} from '@alert-exchange/platform';

/**
 * Produces records of one Avro subject (acks=all) and returns only once every in-sync
 * replica has them, like the alert publisher: the acknowledgements of recipients, the
 * replay requests of operators and the records of personal-data reads. Any failure is an
 * UnavailableError (503 with Retry-After): nothing was answered, the caller tries again.
 */
export class RecordPublisher<T> {
  private constructor(
    private readonly codec: AvroCodec,
    private readonly producer: Producer,
    private readonly schemaId: number,
    private readonly what: string,
  ) {}

  /** Looks up the latest schema of `subject` once; `what` names the record in errors. */
  static async open<T>(
    codec: AvroCodec,
    producer: Producer,
    subject: string,
    what: string,
  ): Promise<RecordPublisher<T>> {
    return new RecordPublisher<T>(codec, producer, await codec.latestSchemaId(subject), what);
  }

  /** Produces one record; `traceparent` joins it to a trace (an acknowledgement, its delivery's). */
  async publish(topic: string, key: string, record: T, traceparent?: string): Promise<void> {
    await this.publishAll(topic, [{ key, record, ...(traceparent ? { traceparent } : {}) }]);
  }

  /**
   * Produces `records` in one send (one request per broker), and returns once Kafka has
   * every one. A failure may leave some of several records written: callers record facts
   * before acting on them, so an extra record is the safe side.
   */
  async publishAll(
    topic: string,
    records: ReadonlyArray<{
      readonly key: string;
      readonly record: T;
      readonly traceparent?: string;
    }>,
  ): Promise<void> {
    if (records.length === 0) return;
    const headers = { [EVENT_HEADERS.schemaId]: String(this.schemaId) };
    const messages = await Promise.all(
      records.map(async ({ key, record, traceparent }) => ({
        key,
        value: await this.encode(record),
        headers: traceparent ? { ...headers, [EVENT_HEADERS.traceparent]: traceparent } : headers,
      })),
    );
    try {
      const metadata = await this.producer.send({ topic, acks: -1, messages });
      if (metadata.length === 0 || metadata.some((m) => m.errorCode !== 0)) {
        throw new Error(`Kafka answered ${JSON.stringify(metadata)}`);
      }
    } catch (cause) {
      const lost =
        records.length === 1
          ? 'nothing was recorded'
          : `of ${records.length} records, some may be recorded`;
      throw new UnavailableError(`Kafka did not take the ${this.what}; ${lost}`, {
        cause,
        retryAfterSeconds: 10,
      });
    }
  }

  private async encode(record: T): Promise<Buffer> {
    try {
      return await this.codec.encode(this.schemaId, record);
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      // No cause: a schema library's message may quote the value, and an acknowledgement's
      // note is restricted data that must not reach the error log.
      throw new Error(`The ${this.what} does not fit schema ${this.schemaId}`);
    }
  }
}
