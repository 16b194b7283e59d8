import type {
  Acknowledgement,
  Delivery,
  DeliveryReplay,
  DeliveryStatus,
  Escalation,
  Organisation,
  PersonalSealer,
  WebhookSecrets,
} from '@alert-exchange/contracts';
import { openBody, webhookBody } from '@alert-exchange/contracts';
import {
  CoalescingSender,
  FollowedLog,
  PoisonMessageError,
  UnavailableError,
  SpanKind,
  inSpan,
  nameUuid,
  tracerOf,
  traceparentOf,
  readEventMeta,
  sendToDeadLetter,
  deadLetterMessage,
  DEAD_LETTER_TOPIC,
  type Admin,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type KafkaMessage,
  type Logger,
  type Meter,
  type Producer,
  type Redis,
  meterOf,
} from '@alert-exchange/platform';
import { CLOSED, breakerAfter, breakerAllows, type Breaker } from './domain/breaker';
import { CaseOrder, laneKey, type OrderedDelivery } from './domain/case-order';
import { DueQueue, type DueEntry } from './domain/due-queue';
import {
  NEW_PROGRESS,
  awaitingRetry,
  dutiesOf,
  foldStatus,
  statusAfterAttempt,
  type EscalationReason,
  type Progress,
  type StatusFact,
} from './domain/delivery-progress';
import { classifyResponse, type AttemptVerdict } from './domain/retry-schedule';
import type { DispatcherConfig } from './config';
import type { WebhookSender } from './webhook-sender';
import { deliveryMetrics } from './delivery-metrics';

const SUBJECTS = {
  delivery: 'eu.alertexchange.Delivery',
  status: 'eu.alertexchange.DeliveryStatus',
  escalation: 'eu.alertexchange.Escalation',
  acknowledgement: 'eu.alertexchange.Acknowledgement',
  replay: 'eu.alertexchange.DeliveryReplay',
} as const;

/** Redis hash of dead letters for operators' listing (a cache: delivery-status is the record). */
export const DEAD_LETTERS_KEY = 'ax:dead-letters';

/** A delivery this instance owns (its deliveries partition is assigned here) and still owes something. */
interface Tracked {
  readonly delivery: Delivery;
  readonly partition: number;
  readonly offset: bigint;
  readonly traceparent: string | undefined;
  /** When the event was published (its header; routedAt for notices and older records). */
  readonly publishedAt: number;
  /** The exact JSON text pushed (and signed), built once when the delivery is read. */
  readonly body: string;
  /** In the case-order lanes (webhook pushes only). */
  laned: boolean;
  /**
   * Pushed outside the lanes: a replayed dead letter, whose lane has moved past it (it
   * was done when dead-lettered, so later events of its case went on without it).
   */
  unordered: boolean;
  /** An attempt, an escalation or a closing is being written; nothing else starts meanwhile. */
  busy: boolean;
}

interface Known {
  progress: Progress;
  /** The deliveries (and delivery-status) partition, where its records go. */
  partition: number;
  recipientId: string;
  caseId: string;
}

export interface DispatcherOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly codec: AvroCodec;
  readonly producer: Producer;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly sender: WebhookSender;
  readonly directory: { get(id: string): Organisation | undefined; list(): Organisation[] };
  readonly secrets: { get(id: string): WebhookSecrets | undefined };
  /** Opens the personal part of each delivery's alert, in memory (docs/PRIVACY.md). */
  readonly keyring: PersonalSealer;
  readonly config: Pick<
    DispatcherConfig,
    'group' | 'topics' | 'schedule' | 'endpointConcurrency' | 'breaker'
  >;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Where the delivery metrics go; the process's global meter (a no-op in tests) without it. */
  readonly meter?: Meter;
  /**
   * Told when a consumer stopped and kafkajs will not restart it: main's KeepRunning then
   * stops this dispatcher and starts a fresh one, which reads what is unsettled again.
   */
  readonly onStopped?: (error: Error) => void;
}

/**
 * Delivers what the router routed (docs/DELIVERY.md). It consumes `deliveries` in a
 * consumer group (instances share the partitions), pushes webhooks, and records every
 * attempt, dead letter, escalation and replay in `delivery-status`, co-partitioned with
 * `deliveries`. That topic and `acknowledgements` are the memory: every instance follows
 * both from their beginning, folds them per delivery, and so resumes any delivery where
 * the last owner left it. A deliveries offset is committed only past deliveries that are
 * settled (acknowledged, with nothing left to tell operators), so a SIGKILL loses nothing:
 * the next owner reads the rest again and skips what the records say is done.
 */
export class Dispatcher {
  readonly counts = { consumed: 0, attempts: 0, delivered: 0, deadLettered: 0, escalated: 0 };
  private readonly known = new Map<string, Known>();
  private readonly acked = new Map<string, string>();
  private readonly tracked = new Map<number, Map<string, Tracked>>();
  /** The same deliveries by id. */
  private readonly byId = new Map<string, Tracked>();
  /** Tracked deliveries whose duties may have changed since the last pump looked. */
  private readonly changed = new Set<string>();
  /** Pushed outside the lanes (rare): looked at by every pump. */
  private readonly unordered = new Set<Tracked>();
  /** The next pump looks at every tracked delivery (a rebalance, the periodic sweep). */
  private sweepAll = true;
  private pumpScheduled = false;
  /** Next offset to read, per owned partition. */
  private readonly consumedTo = new Map<number, bigint>();
  private readonly committed = new Map<number, bigint>();
  private order = new CaseOrder();
  /** The lane heads order lets go, by when their next attempt is due (per recipient). */
  private due = new DueQueue();
  private readonly inFlight = new Map<string, number>();
  private readonly breakers = new Map<string, Breaker>();
  /** Latest 410 per recipient: pushes wait until the directory record changes after it. */
  private readonly disabledAt = new Map<string, number>();
  private statusLog: FollowedLog | undefined;
  private ackLog: FollowedLog | undefined;
  private consumer: Consumer | undefined;
  private commands: Consumer | undefined;
  private ready: Promise<void> = Promise.resolve();
  private generation = 0;
  private pumpTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private stopped = false;
  private schemaIds: { delivery: number; status: number; escalation: number } | undefined;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly metrics: ReturnType<typeof deliveryMetrics>;
  /** Status records of concurrent attempts go to Kafka together (one request at a time). */
  private readonly statusSender: CoalescingSender;

  constructor(private readonly options: DispatcherOptions) {
    this.statusSender = new CoalescingSender(options.producer);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.metrics = deliveryMetrics(options.meter ?? meterOf('dispatcher'), () =>
      this.retryBacklog(),
    );
  }

  async start(): Promise<void> {
    const { kafka, admin, codec, logger, config } = this.options;
    this.schemaIds = {
      delivery: await codec.latestSchemaId(SUBJECTS.delivery),
      status: await codec.latestSchemaId(SUBJECTS.status),
      escalation: await codec.latestSchemaId(SUBJECTS.escalation),
    };
    this.statusLog = await FollowedLog.open({
      kafka,
      admin,
      logger,
      topic: config.topics.status,
      name: `${config.group}-status`,
      onRecord: ({ partition, message }) => this.foldStatusRecord(partition, message),
      onStopped: (error) => this.crashed({ error, restart: false }, 'delivery-status'),
    });
    this.ackLog = await FollowedLog.open({
      kafka,
      admin,
      logger,
      topic: config.topics.acknowledgements,
      name: `${config.group}-acks`,
      onRecord: ({ message }) => this.foldAck(message),
      onStopped: (error) => this.crashed({ error, restart: false }, 'acknowledgements'),
    });
    await Promise.all([this.statusLog.caughtUp(), this.ackLog.caughtUp()]);
    await this.startConsumer();
    await this.startCommands();
    // Every 200 ms a pump looks at every delivery: a directory change (a recipient's mode
    // or its endpoint switched on again) and an acknowledgement deadline passing come to
    // no pump otherwise. Between sweeps a pump looks only at what changed.
    this.pumpTimer = setInterval(() => {
      this.sweepAll = true;
      this.pump();
    }, 200);
    this.pumpTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pumpTimer) clearInterval(this.pumpTimer);
    await Promise.allSettled([
      this.consumer?.disconnect(),
      this.commands?.disconnect(),
      this.statusLog?.close(),
      this.ackLog?.close(),
    ]);
  }

  /** A consumer's crash: kafkajs restarts it itself unless `restart` is false. */
  private crashed(payload: { error: Error; restart: boolean }, consumer: string): void {
    if (payload.restart || this.stopped) return;
    const { logger, onStopped } = this.options;
    logger.error({ consumer, err: { message: payload.error.message } }, 'Consumer stopped');
    onStopped?.(payload.error);
  }

  /** Deliveries owned here whose last attempt failed and that wait for the next. */
  private retryBacklog(): number {
    let waiting = 0;
    for (const owned of this.tracked.values())
      for (const t of owned.values())
        if (awaitingRetry(this.progressOf(t.delivery.deliveryId))) waiting++;
    return waiting;
  }

  /** For /status: what this instance holds. */
  snapshot(): Record<string, number> {
    let tracked = 0;
    for (const m of this.tracked.values()) tracked += m.size;
    const open = [...this.breakers.values()].filter((b) => b.openUntil !== null).length;
    return {
      ...this.counts,
      tracked,
      ownedPartitions: this.tracked.size,
      known: this.known.size,
      openBreakers: open,
    };
  }

  // ---- folding what Kafka says ------------------------------------------------------

  private async foldStatusRecord(partition: number, message: KafkaMessage): Promise<void> {
    if (!message.value) return;
    let status: DeliveryStatus;
    try {
      status = (await this.options.codec.decode<DeliveryStatus>(message.value, SUBJECTS.status))
        .value;
    } catch (error) {
      this.options.logger.warn(
        { partition, offset: message.offset, err: { message: (error as Error).message } },
        'Unreadable delivery-status record skipped',
      );
      return;
    }
    const fact: StatusFact = {
      state: status.state,
      attempt: status.attempt,
      at: status.at,
      errorKind: status.errorKind,
      nextAttemptAt: status.nextAttemptAt,
    };
    const known = this.known.get(status.deliveryId);
    this.known.set(status.deliveryId, {
      progress: foldStatus(known?.progress ?? NEW_PROGRESS, fact),
      partition,
      recipientId: status.recipientId,
      caseId: status.caseId,
    });
    if (status.state === 'ENDPOINT_DISABLED')
      this.disabledAt.set(
        status.recipientId,
        Math.max(status.at, this.disabledAt.get(status.recipientId) ?? 0),
      );
    this.changed.add(status.deliveryId);
    // Its next attempt time may have moved.
    this.syncLane(status.recipientId, status.caseId);
    this.schedulePump();
  }

  private async foldAck(message: KafkaMessage): Promise<void> {
    if (!message.value) return;
    try {
      const { value } = await this.options.codec.decode<Acknowledgement>(
        message.value,
        SUBJECTS.acknowledgement,
      );
      if (!this.acked.has(value.deliveryId)) this.acked.set(value.deliveryId, value.status);
      this.changed.add(value.deliveryId);
      this.schedulePump();
    } catch (error) {
      this.options.logger.warn(
        { offset: message.offset, err: { message: (error as Error).message } },
        'Unreadable acknowledgement skipped',
      );
    }
  }

  private progressOf(deliveryId: string): Progress {
    return this.known.get(deliveryId)?.progress ?? NEW_PROGRESS;
  }

  // ---- consuming deliveries ---------------------------------------------------------

  private async startConsumer(): Promise<void> {
    const { kafka, config, logger } = this.options;
    const consumer = kafka.consumer({
      groupId: config.group,
      readUncommitted: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const owned = new Set(payload.memberAssignment[config.topics.deliveries] ?? []);
      this.generation++;
      for (const p of [...this.tracked.keys()]) {
        if (!owned.has(p)) this.release(p);
      }
      for (const p of owned) if (!this.tracked.has(p)) this.tracked.set(p, new Map());
      this.rebuildOrder();
      this.sweepAll = true;
      // What the previous owner wrote before it let go must be folded before acting.
      this.ready = Promise.all([this.statusLog!.caughtUp(), this.ackLog!.caughtUp()]).then(
        () => undefined,
      );
      logger.info({ partitions: [...owned].sort((a, b) => a - b) }, 'Deliveries partitions taken');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => this.crashed(payload, 'deliveries'));
    await consumer.connect();
    await consumer.subscribe({ topic: config.topics.deliveries, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        await this.ready;
        const owned = this.tracked.get(batch.partition);
        if (!owned) return;
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) return;
          await this.take(batch.partition, message, owned);
          this.consumedTo.set(batch.partition, BigInt(message.offset) + 1n);
        }
        const last = BigInt(batch.lastOffset()) + 1n;
        if (last > (this.consumedTo.get(batch.partition) ?? 0n))
          this.consumedTo.set(batch.partition, last);
        await this.commit();
        await payload.heartbeat();
        this.schedulePump();
      },
    });
  }

  /** Reads one deliveries record: tracked until settled, or a dead letter when unreadable. */
  private async take(
    partition: number,
    message: KafkaMessage,
    owned: Map<string, Tracked>,
  ): Promise<void> {
    const { codec, producer, logger, config } = this.options;
    let delivery: Delivery;
    let body: string;
    try {
      if (!message.value) throw new PoisonMessageError('a deliveries record without a value');
      delivery = (await codec.decode<Delivery>(message.value, SUBJECTS.delivery)).value;
      // Sealed in Kafka; opened in memory for the push to the recipient it was routed to.
      body = JSON.stringify(await openBody(webhookBody(delivery), this.options.keyring));
    } catch (error) {
      // A registry that does not answer says nothing of the record: the batch fails and is
      // read again (nothing is committed past it), rather than a good delivery dead-lettered.
      if (error instanceof UnavailableError) throw error;
      const reason =
        error instanceof PoisonMessageError ? error.reason : (error as Error).message.slice(0, 200);
      await sendToDeadLetter(
        producer,
        message,
        {
          topic: config.topics.deliveries,
          partition,
          offset: message.offset,
          consumer: config.group,
          reason,
        },
        logger,
      );
      this.metrics.unreadable();
      return;
    }
    this.counts.consumed++;
    if (owned.has(delivery.deliveryId)) return;
    const t: Tracked = {
      delivery,
      partition,
      offset: BigInt(message.offset),
      traceparent: readEventMeta(message).traceparent,
      publishedAt: readEventMeta(message).publishedAt ?? delivery.routedAt,
      body,
      laned: false,
      unordered: false,
      busy: false,
    };
    if (this.duties(t).settled) return;
    owned.set(delivery.deliveryId, t);
    this.byId.set(delivery.deliveryId, t);
    this.changed.add(delivery.deliveryId);
  }

  private release(partition: number): void {
    for (const t of this.tracked.get(partition)?.values() ?? []) {
      this.byId.delete(t.delivery.deliveryId);
      this.unordered.delete(t);
    }
    this.tracked.delete(partition);
    this.consumedTo.delete(partition);
    this.committed.delete(partition);
  }

  private rebuildOrder(): void {
    this.order = new CaseOrder();
    this.due = new DueQueue();
    this.unordered.clear();
    for (const owned of this.tracked.values()) {
      for (const t of [...owned.values()].sort((a, b) => Number(a.offset - b.offset))) {
        t.laned = false;
        this.setUnordered(t, false);
        if (this.duties(t).push) this.lane(t);
      }
    }
  }

  /** Puts a delivery to push in its lane, or outside the lanes when its lane is past it. */
  private lane(t: Tracked): void {
    t.laned = this.order.add(orderedOf(t.delivery));
    this.setUnordered(t, !t.laned);
    if (t.laned) this.syncLane(t.delivery.recipientId, t.delivery.caseId);
  }

  private setUnordered(t: Tracked, unordered: boolean): void {
    t.unordered = unordered;
    if (unordered) this.unordered.add(t);
    else this.unordered.delete(t);
  }

  /** The due index after a change of the (recipient, case) lane or of its head's progress. */
  private syncLane(recipientId: string, caseId: string): void {
    const lane = laneKey(recipientId, caseId);
    const head = this.order.pendingHead(recipientId, caseId);
    if (!head) {
      this.due.remove(lane);
      return;
    }
    const { deliveryId } = head.delivery;
    this.due.put({
      lane,
      deliveryId,
      recipientId,
      rank: head.rank,
      dueAt: this.progressOf(deliveryId).nextAttemptAt,
    });
  }

  /** `delivery` done in its lane (delivered, dead-lettered, or no longer to push). */
  private doneInLane(delivery: Delivery): void {
    this.order.markDone(orderedOf(delivery));
    this.syncLane(delivery.recipientId, delivery.caseId);
  }

  /** Commits, per owned partition, the offset before which everything is settled. */
  private async commit(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const [partition, owned] of this.tracked) {
      let floor = this.consumedTo.get(partition);
      if (floor === undefined) continue;
      for (const t of owned.values()) if (t.offset < floor) floor = t.offset;
      if (floor === this.committed.get(partition)) continue;
      offsets.push({ topic: this.options.config.topics.deliveries, partition, offset: `${floor}` });
      this.committed.set(partition, floor);
    }
    if (offsets.length === 0) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (error) {
      for (const o of offsets) this.committed.delete(o.partition);
      this.options.logger.warn(
        { err: { message: (error as Error).message } },
        'Could not commit deliveries offsets; will retry',
      );
    }
  }

  // ---- what is owed, and doing it ---------------------------------------------------

  private pushes(delivery: Delivery): boolean {
    const organisation = this.options.directory.get(delivery.recipientId);
    const mode = organisation?.delivery.mode ?? delivery.mode;
    return mode === 'WEBHOOK';
  }

  private duties(t: Tracked) {
    return dutiesOf(
      t.delivery,
      this.pushes(t.delivery),
      this.progressOf(t.delivery.deliveryId),
      this.acked.has(t.delivery.deliveryId),
      this.now(),
    );
  }

  /** One pump for whatever asked for one meanwhile. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Starts what is due. Looks at the deliveries whose duties may have changed (every one
   * on a sweep), then takes the lane heads that are due from the index, per recipient, as
   * far as its concurrency and breaker allow. Never awaits work itself.
   */
  private pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      const now = this.now();
      let settledAny = false;
      const visit = (t: Tracked): void => {
        if (this.visit(t, now)) settledAny = true;
      };
      if (this.sweepAll) {
        this.sweepAll = false;
        this.changed.clear();
        for (const owned of this.tracked.values()) for (const t of owned.values()) visit(t);
      } else {
        const changed = [...this.changed];
        this.changed.clear();
        for (const id of changed) {
          const t = this.byId.get(id);
          if (t) visit(t);
        }
        for (const t of [...this.unordered]) visit(t);
      }
      this.attemptDueHeads(now);
      if (settledAny) void this.commit();
    } finally {
      this.pumping = false;
    }
  }

  /** Does what one delivery's duties ask now; true when it is settled and forgotten. */
  private visit(t: Tracked, now: number): boolean {
    if (t.busy) return false;
    const duties = this.duties(t);
    if (duties.settled) {
      this.settle(t);
      return true;
    }
    if (duties.confirmDelivered) void this.confirmDelivered(t);
    else if (duties.escalate) void this.escalate(t, duties.escalate);
    else if (duties.closeEscalation) void this.closeEscalation(t);
    else if (this.reEnabled(t)) void this.replay(t, 'endpoint-re-enabled');
    if (duties.push && !t.laned && !t.unordered) {
      this.lane(t);
    } else if (!duties.push && (t.laned || t.unordered)) {
      if (t.laned) this.doneInLane(t.delivery);
      t.laned = false;
      this.setUnordered(t, false);
    }
    if (duties.push && t.unordered && !t.busy && this.mayAttempt(t, now)) {
      void this.attempt(t);
    }
    return false;
  }

  /**
   * The lane heads due now, per recipient in lane order, attempted while the recipient's
   * concurrency, breaker and endpoint allow (each of those holds for all its heads alike).
   */
  private attemptDueHeads(now: number): void {
    for (const recipientId of this.due.recipients()) {
      const putBack: DueEntry[] = [];
      for (let entry = this.due.take(recipientId, now); entry;) {
        const t = this.byId.get(entry.deliveryId);
        if (t && !t.busy && this.duties(t).push) {
          const progress = this.progressOf(entry.deliveryId);
          if (progress.nextAttemptAt !== null && progress.nextAttemptAt > now) {
            // Its progress moved since it was indexed: due later.
            this.syncLane(recipientId, t.delivery.caseId);
          } else if (!this.mayAttempt(t, now)) {
            putBack.push(entry);
            break;
          } else {
            void this.attempt(t);
          }
        } else if (t) {
          // Busy with an escalation, or no longer to push (the next visit takes it out).
          putBack.push(entry);
        }
        entry = this.due.take(recipientId, now);
      }
      for (const entry of putBack) this.due.put(entry);
    }
  }

  private settle(t: Tracked): void {
    if (t.laned) {
      this.doneInLane(t.delivery);
      t.laned = false;
    }
    this.setUnordered(t, false);
    this.tracked.get(t.partition)?.delete(t.delivery.deliveryId);
    this.byId.delete(t.delivery.deliveryId);
  }

  private mayAttempt(t: Tracked, now: number): boolean {
    const { recipientId } = t.delivery;
    const progress = this.progressOf(t.delivery.deliveryId);
    if (progress.nextAttemptAt !== null && progress.nextAttemptAt > now) return false;
    const inFlight = this.inFlight.get(recipientId) ?? 0;
    if (inFlight >= this.options.config.endpointConcurrency) return false;
    if (!breakerAllows(this.breakers.get(recipientId) ?? CLOSED, now, inFlight)) return false;
    const disabled = this.disabledAt.get(recipientId);
    const organisation = this.options.directory.get(recipientId);
    if (disabled !== undefined && (organisation?.updatedAt ?? 0) <= disabled) return false;
    return true;
  }

  /**
   * A delivery stopped by a 410 whose recipient has since changed its directory record
   * (a new URL, or the same one switched on again): it is sent again.
   */
  private reEnabled(t: Tracked): boolean {
    const progress = this.progressOf(t.delivery.deliveryId);
    if (progress.push !== 'endpoint-disabled' || progress.disabledAt === null) return false;
    const organisation = this.options.directory.get(t.delivery.recipientId);
    return organisation !== undefined && organisation.updatedAt > progress.disabledAt;
  }

  private async replay(t: Tracked, actor: string): Promise<void> {
    await this.busyWith(t, 'Replay not recorded; trying again', async () => {
      await this.writeStatus(
        targetOf(t),
        {
          state: 'REPLAYED',
          attempt: this.progressOf(t.delivery.deliveryId).attempts,
          at: this.now(),
          errorKind: null,
          nextAttemptAt: null,
        },
        { actor },
      );
    });
  }

  /**
   * Runs `work` for `t` with nothing else started for it meanwhile. A failure (Kafka did
   * not take a record) is logged and left for the next pump to try again: every step is
   * written with stable ids, so doing it twice is harmless and not doing it is not.
   */
  private async busyWith(t: Tracked, failure: string, work: () => Promise<void>): Promise<void> {
    if (t.busy) return;
    t.busy = true;
    try {
      await work();
    } catch (error) {
      this.options.logger.warn({ err: { message: (error as Error).message } }, failure);
    } finally {
      t.busy = false;
      this.changed.add(t.delivery.deliveryId);
      this.schedulePump();
    }
  }

  /** One webhook attempt, its record, and what it means for order and the breaker. */
  private async attempt(t: Tracked): Promise<void> {
    const { delivery } = t;
    const { recipientId, deliveryId } = delivery;
    const generation = this.generation;
    t.busy = true;
    if (t.laned) {
      this.order.markInFlight(orderedOf(delivery));
      this.syncLane(recipientId, delivery.caseId);
    }
    this.inFlight.set(recipientId, (this.inFlight.get(recipientId) ?? 0) + 1);
    let verdict: AttemptVerdict | undefined;
    try {
      const progress = this.progressOf(deliveryId);
      const attempt = progress.attempts + 1;
      const started = this.now();
      // The webhook call's span continues the routing span's trace; the recipient gets
      // the call's own traceparent.
      const result = await inSpan(
        tracerOf('dispatcher'),
        'webhook POST',
        {
          kind: SpanKind.CLIENT,
          ...(t.traceparent ? { parent: t.traceparent } : {}),
          attributes: {
            'http.request.method': 'POST',
            'exchange.delivery_id': deliveryId,
            'exchange.recipient_id': recipientId,
            'exchange.attempt': attempt,
          },
        },
        async (span) => {
          const sent = await this.send(t);
          this.options.logger.info(
            {
              deliveryId,
              caseId: delivery.caseId,
              recipientId,
              attempt,
              answer: sent.kind === 'response' ? sent.status : sent.kind,
            },
            'Webhook attempt answered',
          );
          if (sent.kind === 'response') span.setAttribute('http.response.status_code', sent.status);
          else span.setAttribute('error.type', sent.kind);
          return sent;
        },
      );
      const ended = this.now();
      verdict =
        result.kind === 'refused'
          ? { kind: 'retry', reason: `refused: ${result.reason}` }
          : classifyResponse(result, ended);
      this.counts.attempts++;
      const fact = statusAfterAttempt(
        progress,
        attempt,
        verdict,
        ended,
        this.options.config.schedule,
        this.random,
      );
      if (fact.state === 'DEAD_LETTERED') await this.deadLetter(t, fact);
      await this.writeStatus(targetOf(t), fact, {
        httpStatus: result.kind === 'response' ? result.status : null,
        latencyMs: ended - started,
      });
      if (fact.state === 'DELIVERED') this.counts.delivered++;
      this.metrics.attempted(
        fact.state,
        { eventType: delivery.eventType, publishedAt: t.publishedAt },
        ended,
      );
      this.breakers.set(
        recipientId,
        breakerAfter(
          this.breakers.get(recipientId) ?? CLOSED,
          verdict.kind === 'delivered',
          ended,
          this.options.config.breaker,
        ),
      );
    } catch (error) {
      // Kafka did not take the record: the attempt is made again (at least once).
      this.options.logger.warn(
        { deliveryId, err: { message: (error as Error).message } },
        'Attempt could not be recorded; trying again',
      );
    } finally {
      this.inFlight.set(recipientId, (this.inFlight.get(recipientId) ?? 1) - 1);
      t.busy = false;
      if (t.unordered && this.progressOf(deliveryId).push !== 'pending')
        this.setUnordered(t, false);
      if (generation === this.generation && t.laned) {
        const done = this.progressOf(deliveryId).push !== 'pending';
        if (done) this.order.markDone(orderedOf(delivery));
        else this.order.markAttemptFailed(orderedOf(delivery));
        this.syncLane(recipientId, delivery.caseId);
        if (done) t.laned = false;
      }
      this.changed.add(deliveryId);
      this.schedulePump();
    }
  }

  private async send(t: Tracked) {
    const { delivery } = t;
    const organisation = this.options.directory.get(delivery.recipientId);
    const url = organisation?.delivery.url;
    if (!organisation || organisation.delivery.mode !== 'WEBHOOK' || !url) {
      return { kind: 'refused' as const, reason: 'no webhook endpoint in the directory' };
    }
    const secrets = (this.options.secrets.get(delivery.recipientId)?.secrets ?? [])
      .filter((s) => s.revokedAt === null)
      .map((s) => s.secret);
    if (secrets.length === 0) {
      return { kind: 'refused' as const, reason: 'no active webhook secret' };
    }
    return this.options.sender.send({
      url,
      endpoint: delivery.recipientId,
      id: delivery.deliveryId,
      body: t.body,
      secrets,
      ...this.traceOf(t),
    });
  }

  /** The traceparent a webhook call sends: its own span's, or the delivery's. */
  private traceOf(t: Tracked): { traceparent?: string } {
    const traceparent = traceparentOf() ?? t.traceparent;
    return traceparent ? { traceparent } : {};
  }

  /**
   * Writes a delivery-status record to the partition of the delivery's own record and
   * waits until the followed log has folded it, so the next decision sees it. Written with
   * the records of other attempts under way (CoalescingSender): each waits for its own offset.
   */
  private async writeStatus(
    target: StatusTarget,
    fact: StatusFact,
    extra: { httpStatus?: number | null; latencyMs?: number | null; actor?: string | null } = {},
  ): Promise<void> {
    const { partition } = target;
    const record: DeliveryStatus = {
      deliveryId: target.deliveryId,
      caseId: target.caseId,
      recipientId: target.recipientId,
      attempt: fact.attempt,
      state: fact.state,
      at: fact.at,
      httpStatus: extra.httpStatus ?? null,
      errorKind: fact.errorKind,
      nextAttemptAt: fact.nextAttemptAt,
      latencyMs: extra.latencyMs ?? null,
      actor: extra.actor ?? null,
    };
    const value = await this.options.codec.encode(this.schemaIds!.status, record);
    const { offset } = await this.statusSender.send({
      topic: this.options.config.topics.status,
      partition,
      key: target.deliveryId,
      value,
      ...(target.traceparent ? { headers: { traceparent: target.traceparent } } : {}),
    });
    await this.statusLog!.handed(partition, offset);
  }

  /** The schedule ran out: the delivery goes to the dead-letter topic and the operators' list. */
  private async deadLetter(t: Tracked, fact: StatusFact): Promise<void> {
    const { delivery } = t;
    const value = await this.options.codec.encode(this.schemaIds!.delivery, delivery);
    await this.options.producer.send({
      topic: DEAD_LETTER_TOPIC,
      acks: -1,
      messages: [
        deadLetterMessage(
          {
            key: Buffer.from(delivery.recipientId),
            value,
            headers: { 'ax-delivery-id': delivery.deliveryId },
          },
          {
            topic: this.options.config.topics.deliveries,
            partition: t.partition,
            offset: `${t.offset}`,
            consumer: this.options.config.group,
            reason: `delivery schedule exhausted after ${fact.attempt} attempts: ${fact.errorKind ?? 'unknown'}`,
          },
        ),
      ],
    });
    await this.options.redis
      .hset(
        DEAD_LETTERS_KEY,
        delivery.deliveryId,
        JSON.stringify({
          deliveryId: delivery.deliveryId,
          caseId: delivery.caseId,
          recipientId: delivery.recipientId,
          eventType: delivery.eventType,
          deadLetteredAt: new Date(fact.at).toISOString(),
          attempts: fact.attempt,
          lastError: fact.errorKind ?? 'unknown',
        }),
      )
      .catch((error: unknown) =>
        this.options.logger.warn(
          { err: { message: (error as Error).message } },
          'Dead letter not listed in Redis',
        ),
      );
    this.counts.deadLettered++;
  }

  // ---- escalation -------------------------------------------------------------------

  private operators(): Organisation[] {
    return this.options.directory.list().filter((o) => o.active && o.roles.includes('OPERATOR'));
  }

  /**
   * Tells every operator organisation (a delivery of its own to each, through the same
   * pipeline) and records it. The notices and the Escalation record are written before the
   * ESCALATED status, which is the commit point: a crash in between escalates again after
   * the restart, with the same ids, rather than never.
   */
  private async escalate(t: Tracked, reason: EscalationReason): Promise<void> {
    await this.busyWith(t, 'Escalation not recorded; trying again', async () => {
      const { delivery } = t;
      const now = this.now();
      const progress = this.progressOf(delivery.deliveryId);
      const escalationId = nameUuid('escalation', delivery.deliveryId, reason);
      const operators = this.operators();
      const detail = [
        `delivery=${delivery.deliveryId}`,
        `recipient=${delivery.recipientId}`,
        `event=${delivery.eventType}`,
        `ackBy=${new Date(delivery.ackBy).toISOString()}`,
        ...(progress.lastError ? [`lastError=${progress.lastError}`] : []),
      ].join(' ');
      await this.notifyOperators(t, operators, {
        id: escalationId,
        eventType: 'ESCALATION',
        rule: `escalation-${reason.toLowerCase().replace(/_/g, '-')}`,
        detail,
        now,
      });
      const record: Escalation = {
        escalationId,
        deliveryId: delivery.deliveryId,
        caseId: delivery.caseId,
        recipientId: delivery.recipientId,
        reason,
        ackBy: delivery.ackBy,
        escalatedAt: now,
        notified: operators.map((o) => o.id),
      };
      await this.options.producer.send({
        topic: this.options.config.topics.escalations,
        acks: -1,
        messages: [
          {
            key: delivery.caseId,
            value: await this.options.codec.encode(this.schemaIds!.escalation, record),
          },
        ],
      });
      await this.writeStatus(targetOf(t), {
        state: 'ESCALATED',
        attempt: progress.attempts,
        at: now,
        errorKind: reason,
        nextAttemptAt: null,
      });
      this.counts.escalated++;
      this.metrics.escalated(reason);
      if (operators.length === 0)
        this.options.logger.error(
          { deliveryId: delivery.deliveryId, reason },
          'Escalation recorded but the directory has no operator organisation to tell',
        );
    });
  }

  /**
   * The recipient acknowledged a push with no outcome on record (Duties.confirmDelivered):
   * DELIVERED, with the recipient as the actor and no HTTP status, as the next attempt.
   */
  private async confirmDelivered(t: Tracked): Promise<void> {
    await this.busyWith(t, 'Delivery confirmation not recorded; trying again', async () => {
      const progress = this.progressOf(t.delivery.deliveryId);
      await this.writeStatus(
        targetOf(t),
        {
          state: 'DELIVERED',
          attempt: progress.attempts + 1,
          at: this.now(),
          errorKind: null,
          nextAttemptAt: null,
        },
        { actor: t.delivery.recipientId },
      );
    });
  }

  /** The recipient acknowledged after operators were told: tell them it is closed. */
  private async closeEscalation(t: Tracked): Promise<void> {
    await this.busyWith(t, 'Escalation closing not recorded; trying again', async () => {
      const { delivery } = t;
      const now = this.now();
      const progress = this.progressOf(delivery.deliveryId);
      await this.notifyOperators(t, this.operators(), {
        id: nameUuid('escalation-closed', delivery.deliveryId),
        eventType: 'ESCALATION_CLOSED',
        rule: 'escalation-closed',
        detail: `delivery=${delivery.deliveryId} recipient=${delivery.recipientId} acknowledged=${this.acked.get(delivery.deliveryId) ?? 'RECEIVED'}`,
        now,
      });
      await this.writeStatus(targetOf(t), {
        state: 'ESCALATION_CLOSED',
        attempt: progress.attempts,
        at: now,
        errorKind: null,
        nextAttemptAt: null,
      });
    });
  }

  private async notifyOperators(
    t: Tracked,
    operators: Organisation[],
    notice: { id: string; eventType: string; rule: string; detail: string; now: number },
  ): Promise<void> {
    const { delivery } = t;
    const messages = await Promise.all(
      operators.map(async (operator) => {
        const record: Delivery = {
          deliveryId: nameUuid('notice', notice.id, operator.id),
          eventId: notice.id,
          caseId: delivery.caseId,
          recipientId: operator.id,
          recipientRoles: operator.roles,
          mode: operator.delivery.mode,
          eventType: notice.eventType,
          category: delivery.category,
          urgency: delivery.urgency,
          reasons: [{ rule: notice.rule, detail: notice.detail }],
          routedAt: notice.now,
          ackBy: notice.now + operator.ackWithinMs,
          // Ordered by when they were raised, among the operator's notices of the case.
          sequence: notice.now,
          viewLevel: null,
          alert: null,
        };
        return {
          key: operator.id,
          value: await this.options.codec.encode(this.schemaIds!.delivery, record),
          headers: { 'ax-notice-of': delivery.deliveryId },
        };
      }),
    );
    if (messages.length === 0) return;
    await this.options.producer.send({
      topic: this.options.config.topics.deliveries,
      acks: -1,
      messages,
    });
  }

  // ---- replays ----------------------------------------------------------------------

  /**
   * Operators' replay requests (group `<group>-commands`: each is carried out once). A
   * REPLAYED record per dead-lettered delivery; the owner of its partition folds it and
   * starts a new round of attempts.
   */
  private async startCommands(): Promise<void> {
    const { kafka, config, codec, logger, redis } = this.options;
    const consumer = kafka.consumer({
      groupId: `${config.group}-commands`,
      readUncommitted: false,
    });
    this.commands = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => this.crashed(payload, 'commands'));
    await consumer.connect();
    await consumer.subscribe({ topic: config.topics.commands, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        let request: DeliveryReplay;
        try {
          if (!message.value) throw new PoisonMessageError('a replay request without a value');
          request = (await codec.decode<DeliveryReplay>(message.value, SUBJECTS.replay)).value;
        } catch (error) {
          // A registry that does not answer is retried (kafkajs runs the message again).
          if (!(error instanceof PoisonMessageError)) throw error;
          await sendToDeadLetter(
            this.options.producer,
            message,
            {
              topic: config.topics.commands,
              partition,
              offset: message.offset,
              consumer: `${config.group}-commands`,
              reason: error.reason,
            },
            logger,
          );
          return;
        }
        await this.statusLog!.caughtUp();
        let replayed = 0;
        for (const deliveryId of request.deliveryIds) {
          const known = this.known.get(deliveryId);
          if (!known || known.progress.push !== 'dead-lettered') continue;
          await this.writeStatus(
            { deliveryId, ...known },
            {
              state: 'REPLAYED',
              attempt: known.progress.attempts,
              at: this.now(),
              errorKind: null,
              nextAttemptAt: null,
            },
            { actor: request.requestedBy },
          );
          await redis.hdel(DEAD_LETTERS_KEY, deliveryId).catch(() => 0);
          replayed++;
        }
        logger.info(
          { requestId: request.requestId, asked: request.deliveryIds.length, replayed },
          'Dead letters replayed',
        );
      },
    });
  }
}

/** Where a delivery-status record goes and whom it names. */
interface StatusTarget {
  readonly deliveryId: string;
  readonly caseId: string;
  readonly recipientId: string;
  readonly partition: number;
  /** The delivery's trace: the status record carries it, so its audit fact joins it. */
  readonly traceparent?: string;
}

const targetOf = (t: Tracked): StatusTarget => ({
  deliveryId: t.delivery.deliveryId,
  caseId: t.delivery.caseId,
  recipientId: t.delivery.recipientId,
  partition: t.partition,
  ...(t.traceparent ? { traceparent: t.traceparent } : {}),
});

function orderedOf(delivery: Delivery): OrderedDelivery {
  return {
    deliveryId: delivery.deliveryId,
    recipientId: delivery.recipientId,
    caseId: delivery.caseId,
    sequence: Number(delivery.sequence),
  };
}
