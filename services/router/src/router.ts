import { randomUUID } from 'node:crypto';
import type { EachBatchPayload, Message, Producer, Consumer } from 'kafkajs';
import {
  minimiseAlert,
  openEvent,
  sealView,
  type PersonalSealer,
  type AlertEvent,
  type Delivery,
  type Organisation,
  type RoutingRecord,
} from '@alert-exchange/contracts';
import {
  DEAD_LETTER_TOPIC,
  EVENT_HEADERS,
  PoisonMessageError,
  SealBrokenError,
  deadLetterMessage,
  readEventMeta,
  SpanKind,
  contextFromHeaders,
  otelContext,
  otelTrace,
  tracerOf,
  traceparentOf,
  type AvroCodec,
  type Kafka,
  type Logger,
  type Meter,
  meterOf,
} from '@alert-exchange/platform';
import { barrierMessage, restoreState, ROUTED_CASE_SUBJECT, toRecord } from './case-state-store';
import { coPartitionAssigner } from './co-partition-assigner';
import { deliveryIdOf } from './delivery-id';
import { involvedCountries, routeEvent, type RoutedCase } from './domain/routing';
import { routingMetrics, type RoutedEvent } from './routing-metrics';

/** Output bytes gathered before a produce request; well under the broker's 1 MB batches. */
const OUTPUT_FLUSH_BYTES = 256 * 1024;

/** The events that close a case, starting its personal data's retention. */
const CLOSING_EVENTS: ReadonlySet<string> = new Set(['RESOLVED', 'WITHDRAWN']);

export const DELIVERY_SUBJECT = 'eu.alertexchange.Delivery';
export const ROUTING_RECORD_SUBJECT = 'eu.alertexchange.RoutingRecord';

export interface RouterOptions {
  readonly kafka: Kafka;
  readonly codec: AvroCodec;
  readonly logger: Logger;
  /** The organisations of the directory, as they are now. */
  readonly directory: () => readonly Organisation[];
  readonly group: string;
  readonly stateTopic: string;
  readonly stateTopicPartitions: number;
  readonly deliveriesTopic: string;
  readonly routingRecordsTopic: string;
  /** Opens an event's personal data to cut each view, seals each view (docs/PRIVACY.md). */
  readonly keyring: PersonalSealer;
  /**
   * Told when a case is closed (RESOLVED or WITHDRAWN routed), before the transaction
   * commits: the case's keys are scheduled for destruction (docs/PRIVACY.md). Called
   * again when the event is read again; the first closing counts.
   */
  readonly closeCase?: (caseId: string, closedAt: number) => Promise<void>;
  readonly now?: () => number;
  /** Where the routing metrics go; the process's global meter (a no-op in tests) without it. */
  readonly meter?: Meter;
  /**
   * Told when routing stopped and kafkajs will not restart it (a non-retriable error, a
   * transaction it cannot finish): main's KeepRunning stops and starts the router again.
   */
  readonly onStopped: (error: Error) => void;
}

/** What one consumed alert record becomes: the messages to write and the case's new state. */
interface Outcome {
  readonly sends: Array<{ topic: string; messages: Message[] }>;
  readonly state?: RoutedCase;
  /** The event routed, for the metrics (none for a duplicate or a dead letter). */
  readonly routed?: RoutedEvent;
}

/**
 * Exactly-once routing with kafkajs (whose transactions predate KIP-447):
 *
 * - The co-partition assigner gives partition p of every alerts.<cc> topic to one member;
 *   that member routes index p with one transactional producer whose id is
 *   `<group>-p<p>`. Each batch's deliveries, routing records, case-state records, dead
 *   letters and consumed offset (sendOffsets, the next offset) commit in one transaction.
 * - When a member receives an index, it first creates the producer afresh: initialising
 *   the transactional id fences the previous owner (its open transaction is aborted, its
 *   later commits refused). It then commits a barrier record to partition p of the state
 *   topic, reads that partition read_committed up to the barrier (the cases of index p),
 *   and fetches the group's committed offsets for its partitions: a batch record below
 *   them was routed by the previous owner after this consumer fetched its position, and
 *   is skipped.
 * - Only after a commit is the new case state kept in memory; a failed batch is aborted
 *   and read again.
 */
export class AlertRouter {
  private consumer: Consumer | undefined;
  private readonly producers = new Map<number, Producer>();
  private readonly cases = new Map<number, Map<string, RoutedCase>>();
  /** Committed offsets of the group per `topic:partition`, read after fencing. */
  private readonly floors = new Map<string, bigint>();
  /** The batch in progress (or last) of each partition index. */
  private readonly indexQueues = new Map<number, Promise<void>>();
  /**
   * The latest taking of the assigned indices (see prepare). Takings run one after the
   * other: two at once would let the slower one put back a state older than what the
   * faster one's batches have routed since.
   */
  private preparing: Promise<void> = Promise.resolve();
  /** Counts takings; a batch that sees it change before committing is aborted. */
  private generation = 0;
  private assigned = new Set<number>();
  private readonly now: () => number;
  private schemaIds: { delivery: number; routingRecord: number; routedCase: number } | undefined;
  /** Counters for the operator's eye (and the tests). */
  readonly counts = { routed: 0, duplicates: 0, deadLettered: 0, deliveries: 0 };
  private readonly metrics: ReturnType<typeof routingMetrics>;

  constructor(private readonly options: RouterOptions) {
    this.now = options.now ?? Date.now;
    this.metrics = routingMetrics(options.meter ?? meterOf('router'));
  }

  /** Subscribes to `topics` (explicitly: see TopicWatch) and routes until stopped. */
  async start(topics: readonly string[]): Promise<void> {
    const { codec } = this.options;
    this.schemaIds ??= {
      delivery: await codec.latestSchemaId(DELIVERY_SUBJECT),
      routingRecord: await codec.latestSchemaId(ROUTING_RECORD_SUBJECT),
      routedCase: await codec.latestSchemaId(ROUTED_CASE_SUBJECT),
    };
    const consumer = this.options.kafka.consumer({
      groupId: this.options.group,
      readUncommitted: false,
      partitionAssigners: [coPartitionAssigner],
      // A killed instance's partitions move after 10 s; batches are short, so a live one
      // heartbeats well within it.
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 1_000,
      // Wait up to 250 ms for 64 kB, so that a burst is routed in large transactions
      // rather than one transaction per record.
      minBytes: 65_536,
      maxWaitTimeInMs: 250,
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const indices = new Set(Object.values(payload.memberAssignment).flat());
      this.assigned = indices;
      this.retake(indices);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs gives up on errors it deems non-retriable: never stay silently stopped.
      if (!payload.restart && this.consumer === consumer) this.options.onStopped(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Batches of different indices run at once; those of one index one at a time (they
      // share its transactional producer): see routeBatch.
      partitionsConsumedConcurrently: 6,
      eachBatch: (payload) => this.routeBatch(payload),
    });
    this.consumer = consumer;
  }

  /** Stops consuming and releases every producer. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
    await Promise.allSettled([...this.producers.values()].map((p) => p.disconnect()));
    this.producers.clear();
    this.cases.clear();
    this.floors.clear();
  }

  /**
   * Takes ownership of `indices`: a fresh transactional producer each (fencing any
   * previous owner), a committed barrier in each state partition, then the state read up
   * to the barriers. Indices no longer assigned are let go.
   */
  private async prepare(indices: ReadonlySet<number>): Promise<void> {
    const { kafka, logger, stateTopic, stateTopicPartitions, group } = this.options;
    for (const [index, producer] of this.producers) {
      this.producers.delete(index);
      await producer.disconnect().catch(() => undefined);
    }
    this.cases.clear();
    this.floors.clear();
    if (indices.size === 0) return;
    const nonces = new Map<number, string>();
    for (const index of indices) {
      const producer = kafka.producer({
        transactionalId: `${group}-p${index}`,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: 60_000,
      });
      await producer.connect();
      const nonce = randomUUID();
      const transaction = await producer.transaction();
      try {
        await transaction.send({
          topic: stateTopic,
          acks: -1,
          messages: [barrierMessage(index % stateTopicPartitions, nonce)],
        });
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => undefined);
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.producers.set(index, producer);
      nonces.set(index % stateTopicPartitions, nonce);
    }
    const restored = await restoreState({
      kafka,
      codec: this.options.codec,
      topic: stateTopic,
      nonces,
      logger,
    });
    for (const index of indices)
      this.cases.set(
        index,
        restored.get(index % stateTopicPartitions) ?? new Map<string, RoutedCase>(),
      );
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
        for (const { partition, offset } of partitions)
          if (indices.has(partition) && offset !== '-1')
            this.floors.set(`${topic}:${partition}`, BigInt(offset));
      }
    } finally {
      await admin.disconnect();
    }
    logger.info(
      {
        indices: [...indices].sort((a, b) => a - b),
        cases: [...this.cases.values()].reduce((n, m) => n + m.size, 0),
      },
      'Router took its partitions',
    );
  }

  /** Queues a taking of `indices` after any taking in progress. */
  private retake(indices: ReadonlySet<number>): void {
    this.generation++;
    this.preparing = this.preparing.catch(() => undefined).then(() => this.prepare(indices));
    // A failure shows when a batch awaits it; keep it from being unhandled meanwhile.
    this.preparing.catch(() => undefined);
  }

  /** One batch at a time per partition index: its transactional producer is shared. */
  private routeBatch(payload: EachBatchPayload): Promise<void> {
    const index = payload.batch.partition;
    const previous = this.indexQueues.get(index) ?? Promise.resolve();
    const run = previous.then(() => this.routeIndexBatch(payload));
    this.indexQueues.set(
      index,
      run.catch(() => undefined),
    );
    return run;
  }

  private async routeIndexBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    let generation = -1;
    while (generation !== this.generation) {
      generation = this.generation;
      try {
        await this.preparing;
      } catch (error) {
        // Preparing failed (the broker away): prepare again for the batch's next try,
        // rather than fail every batch with the old error until a rebalance.
        if (generation === this.generation) this.retake(this.assigned);
        throw error;
      }
    }
    if (!payload.isRunning() || payload.isStale()) return;
    const index = batch.partition;
    const producer = this.producers.get(index);
    const cases = this.cases.get(index);
    if (!producer || !cases || !this.assigned.has(index))
      throw new Error(`partition index ${index} is not prepared`);
    const floor = this.floors.get(`${batch.topic}:${index}`) ?? -1n;
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= floor);
    if (messages.length === 0) {
      if (!batch.isEmpty()) payload.resolveOffset(batch.lastOffset());
      return;
    }
    const staged = new Map<string, RoutedCase>();
    const counts = { routed: 0, duplicates: 0, deadLettered: 0, deliveries: 0 };
    const routed: RoutedEvent[] = [];
    const transaction = await producer.transaction();
    try {
      // The batch's output goes in few produce requests (a round trip per record would
      // bound routing by the broker's latency), each kept under the broker's 1 MB limit
      // for a partition's record batch by flushing at OUTPUT_FLUSH_BYTES.
      const outputs = new Map<string, Message[]>();
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (outputs.size === 0) return;
        const topicMessages = [...outputs].map(([topic, out]) => ({ topic, messages: out }));
        outputs.clear();
        bytes = 0;
        await transaction.sendBatch({ acks: -1, topicMessages });
      };
      for (const message of messages) {
        const outcome = await this.routeRecord(
          batch.topic,
          index,
          message,
          (caseId) => staged.get(caseId) ?? cases.get(caseId),
          counts,
        );
        if (outcome.state) staged.set(outcome.state.caseId, outcome.state);
        if (outcome.routed) routed.push(outcome.routed);
        for (const { topic, messages: out } of outcome.sends) {
          const pending = outputs.get(topic) ?? [];
          pending.push(...out);
          outputs.set(topic, pending);
          for (const m of out) bytes += Buffer.byteLength(m.value ?? '') + 200;
        }
        if (bytes >= OUTPUT_FLUSH_BYTES) await flush();
      }
      await flush();
      const last = messages[messages.length - 1]!.offset;
      await transaction.sendOffsets({
        consumerGroupId: this.options.group,
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition: index, offset: (BigInt(last) + 1n).toString() }],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      // A fenced or broken producer cannot be used again: take the indices afresh.
      if (generation === this.generation) this.retake(this.assigned);
      throw error;
    }
    for (const [caseId, state] of staged) cases.set(caseId, state);
    for (const key of Object.keys(counts) as Array<keyof typeof counts>)
      this.counts[key] += counts[key];
    this.metrics.committed(routed, counts.deadLettered);
    payload.resolveOffset(messages[messages.length - 1]!.offset);
    await payload.heartbeat();
  }

  /** Routes one consumed alert record: deliveries, routing record and state, or a dead letter. */
  private async routeRecord(
    topic: string,
    index: number,
    message: EachBatchPayload['batch']['messages'][number],
    caseOf: (caseId: string) => RoutedCase | undefined,
    counts: AlertRouter['counts'],
  ): Promise<Outcome> {
    const { codec, group } = this.options;
    const deadLetter = (reason: string): Outcome => {
      counts.deadLettered++;
      this.options.logger.warn(
        { topic, partition: index, offset: message.offset, reason },
        'Alert record sent to the dead-letter topic',
      );
      return {
        sends: [
          {
            topic: DEAD_LETTER_TOPIC,
            messages: [
              deadLetterMessage(message, {
                topic,
                partition: index,
                offset: message.offset,
                consumer: group,
                reason,
              }),
            ],
          },
        ],
      };
    };
    let event: AlertEvent;
    try {
      event = (await codec.decode<AlertEvent>(message.value, 'eu.alertexchange.AlertEvent')).value;
    } catch (error) {
      if (error instanceof PoisonMessageError) return deadLetter(error.reason);
      throw error;
    }
    if (message.key?.toString() !== event.caseId)
      return deadLetter(`the record's key is not its caseId ${event.caseId}`);
    const outcome = routeEvent(event, caseOf(event.caseId), this.options.directory(), deliveryIdOf);
    if (outcome.kind === 'refused') return deadLetter(outcome.reason);
    if (CLOSING_EVENTS.has(event.eventType))
      await this.options.closeCase?.(event.caseId, event.publishedAt);
    if (outcome.kind === 'duplicate') {
      counts.duplicates++;
      return { sends: [] };
    }
    // The child's data is opened in memory only, cut to each recipient's view and sealed
    // again under the case's key: the deliveries topic holds nothing personal in clear.
    // A NOTICE view carries nothing personal: opened only when some recipient needs more.
    let opened: AlertEvent = event;
    try {
      if (outcome.recipients.some((r) => r.level !== 'NOTICE'))
        opened = await openEvent(event, this.options.keyring);
    } catch (error) {
      if (error instanceof SealBrokenError) return deadLetter(error.message);
      throw error;
    }
    const keyId = event.personal.keyId ?? undefined;
    const alerts = new Map<string, string>();
    for (const recipient of outcome.recipients)
      if (!alerts.has(recipient.level))
        alerts.set(
          recipient.level,
          JSON.stringify(
            await sealView(minimiseAlert(opened, recipient.level), this.options.keyring, keyId),
          ),
        );
    counts.routed++;
    counts.deliveries += outcome.recipients.length;
    const ids = this.schemaIds!;
    const routedAt = this.now();
    // The routing span continues the publisher's trace; deliveries and the routing record
    // carry its traceparent, so the dispatcher's webhook calls join the same trace.
    const span = tracerOf('router').startSpan(
      `route ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'exchange.event_type': event.eventType,
          'exchange.recipients': outcome.recipients.length,
        },
      },
      contextFromHeaders(message.headers),
    );
    span.end();
    this.options.logger.debug(
      {
        caseId: event.caseId,
        eventId: event.eventId,
        eventType: event.eventType,
        recipients: outcome.recipients.length,
        deliveryIds: outcome.recipients.map((r) => r.deliveryId),
        trace_id: span.spanContext().traceId,
      },
      'Event routed',
    );
    const traceparent =
      traceparentOf(otelTrace.setSpan(otelContext.active(), span)) ??
      readEventMeta(message).traceparent;
    const headers = {
      [EVENT_HEADERS.eventType]: event.eventType,
      [EVENT_HEADERS.origin]: event.originatingOrganisation,
      [EVENT_HEADERS.publishedAt]: String(event.publishedAt),
      ...(traceparent ? { [EVENT_HEADERS.traceparent]: traceparent } : {}),
    };
    const deliveries: Message[] = [];
    for (const recipient of outcome.recipients) {
      const delivery: Delivery = {
        deliveryId: recipient.deliveryId,
        eventId: event.eventId,
        caseId: event.caseId,
        recipientId: recipient.organisationId,
        recipientRoles: recipient.roles,
        mode: recipient.mode,
        eventType: event.eventType,
        category: event.category,
        urgency: event.urgency,
        reasons: recipient.reasons,
        routedAt,
        ackBy: routedAt + recipient.ackWithinMs,
        sequence: outcome.sequence,
        viewLevel: recipient.level,
        alert: alerts.get(recipient.level)!,
      };
      deliveries.push({
        // Keyed by recipient: one recipient's deliveries stay in one partition, in order,
        // and the pull inbox's cursor is an offset of it (docs/DELIVERY.md).
        key: recipient.organisationId,
        value: await codec.encode(ids.delivery, delivery),
        headers: { ...headers, 'ax-recipient': recipient.organisationId },
      });
    }
    const record: RoutingRecord = {
      eventId: event.eventId,
      caseId: event.caseId,
      eventType: event.eventType,
      category: event.category,
      urgency: event.urgency,
      originatingOrganisation: event.originatingOrganisation,
      involvedCountries: involvedCountries(event),
      sequence: outcome.sequence,
      routedAt,
      source: { topic, partition: index, offset: Number(message.offset) },
      recipients: outcome.recipients.map((r) => ({
        recipientId: r.organisationId,
        deliveryId: r.deliveryId,
        viewLevel: r.level,
        reasons: r.reasons,
      })),
    };
    const sends: Outcome['sends'] = [
      {
        topic: this.options.routingRecordsTopic,
        messages: [
          { key: event.caseId, value: await codec.encode(ids.routingRecord, record), headers },
        ],
      },
      {
        topic: this.options.stateTopic,
        messages: [
          {
            partition: index % this.options.stateTopicPartitions,
            key: event.caseId,
            value: await codec.encode(ids.routedCase, toRecord(outcome.next)),
          },
        ],
      },
    ];
    if (deliveries.length > 0)
      sends.unshift({ topic: this.options.deliveriesTopic, messages: deliveries });
    return {
      sends,
      state: outcome.next,
      routed: { eventType: event.eventType, recipients: deliveries.length },
    };
  }
}
