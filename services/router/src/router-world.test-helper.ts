import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  toAlertEvent,
  toEventOnCase,
  type AlertEvent,
  type CaseBody,
  type Delivery,
  type EventBody,
  type Organisation,
  type RoutingRecord,
} from '@alert-exchange/contracts';
import type { Message } from 'kafkajs';
import { AvroCodec, eventMessage, type Kafka } from '@alert-exchange/platform';
import {
  createTopics,
  readCommitted,
  sendMessages,
  startReadyService,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const EXAMPLES = join(__dirname, '..', '..', '..', 'schemas', 'examples');

/** A body from schemas/examples, parsed afresh. */
export const example = <T>(file: string): T =>
  JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;

/** An organisation of a test directory; unspecified fields take plain defaults. */
export function organisation(
  id: string,
  roles: Organisation['roles'],
  country: string,
  more: Partial<Organisation> = {},
): Organisation {
  return {
    id,
    name: `${id} (test)`,
    country,
    roles,
    coverage: { countries: [country], categories: [] },
    languages: ['en'],
    delivery: { mode: 'PULL', url: null },
    ackWithinMs: 15 * 60_000,
    subscriptions: [],
    active: true,
    updatedAt: Date.now(),
    ...more,
  };
}

/**
 * A router's world of its own on the test stack: alert topics under a unique prefix, and
 * its own directory, state, deliveries and routing-records topics, so that tests neither
 * see nor disturb each other's records. Dead letters go to the shared dead-letter topic,
 * told apart by their `ax-dlq-topic` header.
 */
export class RouterWorld {
  readonly codec = new AvroCodec(testStack().schemaRegistryUrl);
  readonly routers: ServiceProcess[] = [];
  private readonly caseTopics = new Map<string, string>();

  private constructor(
    readonly name: string,
    readonly countries: readonly string[],
    readonly kafka: Kafka,
    /** The broker of a test's own (host:port), when it is not the test stack's. */
    private readonly brokers: string | undefined,
  ) {}

  get prefix(): string {
    return `${this.name}.alerts.`;
  }
  get topics() {
    return {
      directory: `${this.name}.directory`,
      state: `${this.name}.case-state`,
      deliveries: `${this.name}.deliveries`,
      routingRecords: `${this.name}.routing-records`,
      caseKeys: `${this.name}.case-keys`,
      erasures: `${this.name}.erasures`,
    };
  }
  alertTopic(country: string): string {
    return `${this.prefix}${country.toLowerCase()}`;
  }

  static async create(options: {
    countries: readonly string[];
    directory: readonly Organisation[];
    /** A broker of the test's own (a scratch Kafka it takes away), and a client of it. */
    broker?: { brokers: string; kafka: Kafka };
  }): Promise<RouterWorld> {
    const world = new RouterWorld(
      uniqueName('rt'),
      options.countries,
      options.broker?.kafka ?? testKafka(),
      options.broker?.brokers,
    );
    const compact = [{ name: 'cleanup.policy', value: 'compact' }];
    await world.createTopics([
      ...options.countries.map((c) => ({ topic: world.alertTopic(c), numPartitions: 6 })),
      { topic: world.topics.directory, numPartitions: 1, configEntries: compact },
      { topic: world.topics.state, numPartitions: 6, configEntries: compact },
      { topic: world.topics.deliveries, numPartitions: 12 },
      { topic: world.topics.routingRecords, numPartitions: 6 },
      { topic: world.topics.caseKeys, numPartitions: 1, configEntries: compact },
      { topic: world.topics.erasures, numPartitions: 1 },
    ]);
    await world.putOrganisations(options.directory);
    return world;
  }

  async createTopics(topics: Parameters<typeof createTopics>[1]): Promise<void> {
    await createTopics(this.kafka, topics);
  }

  /** Writes organisations to this world's directory topic. */
  async putOrganisations(organisations: readonly Organisation[]): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.Organisation');
    const messages = await Promise.all(
      organisations.map(async (o) => ({ key: o.id, value: await this.codec.encode(id, o) })),
    );
    await this.send(this.topics.directory, messages);
  }

  /** Publishes events to their case country's topic, as the gateway does. */
  async publish(events: readonly AlertEvent[]): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.AlertEvent');
    const byTopic = new Map<string, Message[]>();
    for (const event of events) {
      // As the gateway does: every event of a case goes to the topic it was raised on,
      // even when an update changes the case country.
      const topic =
        this.caseTopics.get(event.caseId) ?? this.alertTopic(event.countries.caseCountry);
      this.caseTopics.set(event.caseId, topic);
      const message = eventMessage(await this.codec.encode(id, event), {
        caseId: event.caseId,
        eventType: event.eventType,
        origin: event.originatingOrganisation,
        schemaId: id,
      });
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    }
    for (const [topic, messages] of byTopic) await this.send(topic, messages);
  }

  /** Writes raw messages to a topic (poison tests). */
  async send(topic: string, messages: Message[]): Promise<void> {
    await sendMessages(this.kafka, topic, messages);
  }

  /** The router's environment in this world. */
  env(more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...(this.brokers && { KAFKA_BROKERS: this.brokers }),
      ROUTER_GROUP: this.name,
      ALERT_TOPIC_PREFIX: this.prefix,
      DIRECTORY_TOPIC: this.topics.directory,
      ROUTER_STATE_TOPIC: this.topics.state,
      DELIVERIES_TOPIC: this.topics.deliveries,
      ROUTING_RECORDS_TOPIC: this.topics.routingRecords,
      CASE_KEYS_TOPIC: this.topics.caseKeys,
      ERASURES_TOPIC: this.topics.erasures,
      TOPIC_REFRESH_MS: '1000',
      ...more,
    };
  }

  /** Starts a router process in this world and waits until it is ready. */
  async startRouter(more: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const router = await startReadyService(MAIN, this.env(more));
    this.routers.push(router);
    return router;
  }

  /** Waits until the router group has committed every alert topic to its end. */
  async routedAll(timeoutMs = 240_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        'the router to commit every alert record',
        async () => {
          const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
          const committed = await admin.fetchOffsets({ groupId: this.name, topics });
          for (const topic of topics) {
            const ends = await admin.fetchTopicOffsets(topic);
            const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
            for (const end of ends) {
              const at = done.find((p) => p.partition === end.partition)?.offset ?? '-1';
              const floor = at === '-1' ? BigInt(end.low) : BigInt(at);
              if (floor < BigInt(end.high)) return undefined;
            }
          }
          return true;
        },
        { timeoutMs, intervalMs: 500 },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Every committed delivery, decoded. */
  async deliveries(): Promise<Delivery[]> {
    const records = await readCommitted(this.topics.deliveries, this.kafka);
    return Promise.all(
      records.map(async (r) => (await this.codec.decode<Delivery>(r.value)).value),
    );
  }

  /** Every committed routing record, decoded. */
  async routingRecords(): Promise<RoutingRecord[]> {
    const records = await readCommitted(this.topics.routingRecords, this.kafka);
    return Promise.all(
      records.map(async (r) => (await this.codec.decode<RoutingRecord>(r.value)).value),
    );
  }

  /**
   * The dead letters of this world's alert topics: their reason and original key. The
   * router writes them in its transactions, so they are read read_committed (which adds
   * an end-marker record, header ax-test-marker, to the test stack's dead-letter topic).
   */
  async deadLetters(): Promise<Array<{ topic: string; key: string | null; reason: string }>> {
    const records = await readCommitted('dead-letter', this.kafka);
    return records
      .filter((r) => r.headers['ax-dlq-topic']?.startsWith(this.prefix))
      .map((r) => ({
        topic: r.headers['ax-dlq-topic']!,
        key: r.key,
        reason: r.headers['ax-dlq-reason']!,
      }));
  }

  async close(): Promise<void> {
    await Promise.all(this.routers.map((r) => r.stop()));
  }
}

/** The events of one case: raised from `raiseFile` with changes, then `then` in order. */
export function caseEvents(
  raiseFile: string,
  change: (body: CaseBody) => CaseBody,
  originator: string,
  then: Array<{ file: string; actor?: string }>,
): AlertEvent[] {
  const caseId = randomUUID();
  const body = change(example<CaseBody>(raiseFile));
  let publishedAt = Date.parse('2026-11-22T10:00:00Z');
  const events = [
    toAlertEvent(body, {
      caseId,
      eventId: randomUUID(),
      eventType: 'RAISED',
      publishedAt,
      originatingOrganisation: originator,
    }),
  ];
  for (const step of then) {
    publishedAt += 60_000;
    events.push(
      toEventOnCase(example<EventBody>(step.file), body, {
        caseId,
        eventId: randomUUID(),
        publishedAt,
        originatingOrganisation: originator,
        actor: step.actor ?? originator,
      }),
    );
  }
  return events;
}
