import {
  EVENT_HEADERS,
  UnavailableError,
  type AvroCodec,
  type Producer,
} from '@alert-exchange/platform';

/**
 * Produces records of one Avro subject (acks=all) and returns only once every in-sync
 * replica has them, like the alert publisher: the acknowledgements of recipients and the
 * replay requests of operators. Any failure is an UnavailableError (503 with Retry-After):
 * nothing was answered, the caller tries again.
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

  async publish(topic: string, key: string, record: T): Promise<void> {
    const value = await this.encode(record);
    try {
      const [metadata] = await this.producer.send({
        topic,
        acks: -1,
        messages: [{ key, value, headers: { [EVENT_HEADERS.schemaId]: String(this.schemaId) } }],
      });
      if (!metadata || metadata.errorCode !== 0) {
        throw new Error(`Kafka answered ${JSON.stringify(metadata)}`);
      }
    } catch (cause) {
      throw new UnavailableError(`Kafka did not take the ${this.what}; nothing was recorded`, {
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
