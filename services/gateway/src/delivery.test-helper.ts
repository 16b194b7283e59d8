import { randomUUID } from 'node:crypto';
import type { Delivery } from '@alert-exchange/contracts';
import {
  AvroCodec,
  createDurableProducer,
  type Kafka,
  type Producer,
} from '@alert-exchange/platform';
import { readTopic, testKafka, testStack } from '@alert-exchange/testing';

/** A delivery to `recipientId` as the router writes it, with fresh ids. */
export function testDelivery(recipientId: string, overrides: Partial<Delivery> = {}): Delivery {
  const routedAt = Date.now();
  return {
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    caseId: randomUUID(),
    recipientId,
    recipientRoles: ['HOTLINE'],
    mode: 'PULL',
    eventType: 'RAISED',
    category: 'RUNAWAY',
    urgency: 'IMMEDIATE',
    reasons: [{ rule: 'hotline-of-involved-country', detail: 'country=AT' }],
    routedAt,
    ackBy: routedAt + 15 * 60_000,
    sequence: 1,
    viewLevel: 'NOTICE',
    alert: JSON.stringify({ category: 'RUNAWAY', urgency: 'IMMEDIATE', caseCountry: 'AT' }),
    ...overrides,
  };
}

/** Where Kafka put a record. */
export interface Written {
  readonly partition: number;
  readonly offset: string;
}

/**
 * Writes Delivery records to the deliveries topic the way the router does (Avro, Confluent
 * wire format, keyed by recipient), standing in for a router in the gateway's tests.
 */
export class DeliveryWriter {
  private constructor(
    readonly codec: AvroCodec,
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly schemaId: number,
  ) {}

  /** A writer to the test stack's broker, or to `kafka` (a scratch broker of one test). */
  static async open(kafka: Kafka = testKafka()): Promise<DeliveryWriter> {
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    const producer = createDurableProducer(kafka);
    await producer.connect();
    return new DeliveryWriter(
      codec,
      kafka,
      producer,
      await codec.latestSchemaId('eu.alertexchange.Delivery'),
    );
  }

  /** Writes `deliveries` in order, each keyed by its recipient; returns where each went. */
  async write(...deliveries: Delivery[]): Promise<Written[]> {
    const written: Written[] = [];
    // One at a time: each position is known, and a recipient's order is the call's order.
    for (const delivery of deliveries) {
      const [metadata] = await this.producer.send({
        topic: 'deliveries',
        acks: -1,
        messages: [
          {
            key: delivery.recipientId,
            value: await this.codec.encode(this.schemaId, delivery),
          },
        ],
      });
      written.push({ partition: metadata!.partition, offset: metadata!.baseOffset! });
    }
    return written;
  }

  /** Every record of `topic` decoded, with its key. */
  read<T>(topic: string): Promise<Array<{ key: string | null; value: T }>> {
    return readRecords<T>(topic, this.kafka, this.codec);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Every record of `topic` decoded, with its key (from the test stack's broker by default). */
export async function readRecords<T>(
  topic: string,
  kafka: Kafka = testKafka(),
  codec: AvroCodec = new AvroCodec(testStack().schemaRegistryUrl),
): Promise<Array<{ key: string | null; value: T }>> {
  const records = await readTopic(topic, kafka);
  return Promise.all(
    records.map(async (r) => ({ key: r.key, value: (await codec.decode<T>(r.value)).value })),
  );
}

/** One Server-Sent Event as a test reads it. */
export interface StreamEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  /** A comment line (`: heartbeat`). */
  readonly comment?: string;
}

/** An open `GET /v1/inbox/stream`, read event by event. */
export class EventStream {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  /** A read that outlived a timeout: the next call takes its chunk rather than losing it. */
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  static async open(
    base: string,
    key: string,
    path = '/v1/inbox/stream',
    headers: Record<string, string> = {},
  ): Promise<EventStream> {
    const controller = new AbortController();
    const response = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    return new EventStream(
      response.status,
      response.headers,
      response.body!.getReader(),
      controller,
    );
  }

  /** The next event or comment block, failing after `timeoutMs`. */
  async next(timeoutMs = 30_000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return parseBlock(block);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([
        this.pending,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`No event within ${timeoutMs} ms`)), left);
        }),
      ]).finally(() => clearTimeout(timer));
      this.pending = undefined;
      if (chunk.done) throw new Error('The stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next `delivery` events, skipping retry lines and comments. */
  async deliveries(count: number, timeoutMs = 30_000): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    while (events.length < count) {
      const event = await this.next(timeoutMs);
      if (event.event === 'delivery') events.push(event);
    }
    return events;
  }

  close(): void {
    this.controller.abort();
  }
}

function parseBlock(block: string): StreamEvent {
  const event: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      event[field] =
        field === 'data' && event.data !== undefined ? `${event.data}\n${value}` : value;
    }
  }
  return event;
}
