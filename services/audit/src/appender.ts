import type {
  Acknowledgement,
  AlertEvent,
  AuditCheckpoint,
  AuditRecord,
  CaseErasure,
  DeliveryStatus,
  PersonalDataRead,
  RoutingRecord,
} from '@alert-exchange/contracts';
import {
  FollowedLog,
  PoisonMessageError,
  UnavailableError,
  readEventMeta,
  traceIdOfParent,
  sendToDeadLetter,
  type Admin,
  type AvroCodec,
  type Consumer,
  type Kafka,
  type KafkaMessage,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';
import type { EachBatchPayload } from 'kafkajs';
import { canonicalRecord } from './domain/canonical';
import { appendFact, type AuditFact } from './domain/chain';
import { signCheckpoint, type CheckpointKeys, publicKeyToBase64 } from './domain/checkpoint';
import {
  factsOfAcknowledgement,
  factsOfAlertEvent,
  factsOfDeliveryStatus,
  factsOfErasure,
  factsOfPersonalDataRead,
  factsOfRoutingRecord,
  type SourcePosition,
} from './domain/facts';
import { leafHash } from './domain/merkle';
import { EMPTY_FRONTIER, appendLeaf, frontierRoot, type Frontier } from './domain/merkle-nodes';
import type { AuditIndex, IndexedRecord } from './index-store';

const SUBJECTS = {
  record: 'eu.alertexchange.AuditRecord',
  checkpoint: 'eu.alertexchange.AuditCheckpoint',
} as const;

export interface AppenderTopics {
  readonly audit: string;
  readonly checkpoints: string;
  readonly routingRecords: string;
  readonly deliveryStatus: string;
  readonly acknowledgements: string;
  readonly personalDataReads: string;
  readonly erasures: string;
}

export interface AppenderOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly codec: AvroCodec;
  /** For dead letters and checkpoints (acks=all); the trail itself goes in transactions. */
  readonly producer: Producer;
  readonly logger: Logger;
  readonly group: string;
  readonly topics: AppenderTopics;
  readonly keys: CheckpointKeys;
  /** The query index (a cache in Redis); kept up to date after each commit. */
  readonly index?: AuditIndex;
  /** A checkpoint after this many new records... */
  readonly checkpointEvery: number;
  /** ...or this long after the last one, if anything was appended. */
  readonly checkpointIntervalMs: number;
  readonly now?: () => number;
  /**
   * Told when appending stopped and this appender cannot go on: a consumer crash kafkajs
   * will not restart, or a transaction that failed (its outcome unknown: the broker may
   * have committed it). main's KeepRunning then closes it and starts a fresh one, which
   * fences this one's transactional id and restores the chain from the committed trail.
   */
  readonly onStopped?: (error: Error) => void;
}

/**
 * Appends every lifecycle fact once to the audit trail (docs/AUDIT.md). One writer: its
 * transactional producer (`<group>-appender`) fences any earlier instance, then it reads
 * the trail read_committed to its end (the last record, every leaf, every source already
 * recorded) and continues the chain. Each consumed batch's records and the batch's offset
 * commit in one transaction, so a SIGKILL neither loses a fact nor records one twice; a
 * fact whose source is already in the trail is skipped besides. Checkpoints of the
 * committed trail are signed and written to their own topic.
 */
export class AuditAppender {
  readonly counts = { appended: 0, skipped: 0, deadLettered: 0, checkpoints: 0 };
  private last: AuditRecord | undefined;
  /** The Merkle tree's frontier: its size and root without keeping the leaves. */
  private tree: Frontier = EMPTY_FRONTIER;
  private readonly sources = new Set<string>();
  private checkpointedSize = 0;
  private lastCheckpointAt = 0;
  private latestCheckpoint: AuditCheckpoint | undefined;
  private txProducer: Producer | undefined;
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> = Promise.resolve();
  private indexing: Promise<void> = Promise.resolve();
  /** Committed records the index has not taken yet (Redis down, or behind at start). */
  private unindexed: IndexedRecord[] = [];
  /** The latest checkpoint the index has not taken yet. */
  private unindexedCheckpoint: AuditCheckpoint | undefined;
  private indexNext = 0;
  private ids: { record: number; checkpoint: number } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: AppenderOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.tree.size;
  }

  get checkpoint(): AuditCheckpoint | undefined {
    return this.latestCheckpoint;
  }

  /** Fences earlier writers, restores the trail, and starts consuming `alertTopics` too. */
  async start(alertTopics: readonly string[]): Promise<void> {
    const { kafka, codec, group } = this.options;
    this.ids = {
      record: await codec.latestSchemaId(SUBJECTS.record),
      checkpoint: await codec.latestSchemaId(SUBJECTS.checkpoint),
    };
    if (!this.txProducer) {
      const producer = kafka.producer({
        transactionalId: `${group}-appender`,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: 60_000,
      });
      await producer.connect();
      // kafkajs initialises the transactional id with the first transaction: that fences
      // an earlier writer and has the broker abort what it left open, before the restore.
      await (await producer.transaction()).abort();
      this.txProducer = producer;
      await this.restore();
      this.timer = setInterval(() => void this.maybeCheckpoint(false), 1_000);
      this.timer.unref();
    }
    await this.consume(alertTopics);
  }

  /** Stops consuming (to resubscribe, or for good with `close`). */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.stop();
    await this.checkpointing;
    await this.indexing;
    await this.txProducer?.disconnect();
  }

  private async restore(): Promise<void> {
    const { kafka, admin, codec, logger, topics, group, index } = this.options;
    this.indexNext = index ? await index.next().catch(() => 0) : Number.MAX_SAFE_INTEGER;
    const trail = await FollowedLog.open({
      kafka,
      admin,
      logger,
      topic: topics.audit,
      name: `${group}-restore`,
      onRecord: async ({ message }) => {
        if (!message.value) return;
        const { value } = await codec.decode<AuditRecord>(message.value);
        const nodes = this.take(value);
        if (Number(value.seq) >= this.indexNext) this.unindexed.push({ record: value, nodes });
      },
    });
    try {
      await trail.caughtUp(120_000);
    } finally {
      await trail.close();
    }
    const checkpoints = await FollowedLog.open({
      kafka,
      admin,
      logger,
      topic: topics.checkpoints,
      name: `${group}-restore-checkpoints`,
      onRecord: async ({ message }) => {
        if (!message.value) return;
        const { value } = await codec.decode<AuditCheckpoint>(message.value);
        if (value.treeSize >= this.checkpointedSize) {
          this.checkpointedSize = Number(value.treeSize);
          this.latestCheckpoint = value;
        }
      },
    });
    try {
      await checkpoints.caughtUp(120_000);
    } finally {
      await checkpoints.close();
    }
    logger.info(
      { records: this.tree.size, checkpointed: this.checkpointedSize },
      'Audit trail restored',
    );
    this.unindexedCheckpoint = this.latestCheckpoint;
    await this.updateIndex();
  }

  /** Adds a committed record to the trail in memory; returns the tree nodes it completed. */
  private take(record: AuditRecord): IndexedRecord['nodes'] {
    if (record.seq !== this.tree.size) {
      throw new Error(`the audit trail has seq ${record.seq} where ${this.tree.size} belongs`);
    }
    this.last = record;
    const { frontier, completed } = appendLeaf(this.tree, leafHash(canonicalRecord(record)));
    this.tree = frontier;
    const source = record.detail.source;
    if (source) this.sources.add(source);
    return completed;
  }

  private async consume(alertTopics: readonly string[]): Promise<void> {
    const { kafka, group, topics } = this.options;
    const consumer = kafka.consumer({
      groupId: group,
      readUncommitted: false,
      sessionTimeout: 10_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.consumer !== consumer) return;
      this.stopped(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [
        topics.routingRecords,
        topics.deliveryStatus,
        topics.acknowledgements,
        topics.personalDataReads,
        topics.erasures,
        ...alertTopics,
      ],
      fromBeginning: true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.appendBatch(payload),
    });
  }

  private stopped(error: Error): void {
    const { logger, onStopped } = this.options;
    if (onStopped) onStopped(error);
    else logger.error({ err: { message: error.message } }, 'Audit appending stopped');
  }

  /** The facts of one consumed record; an unreadable record throws PoisonMessage-like errors. */
  private async factsOf(
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<AuditFact[]> {
    const { codec, topics } = this.options;
    if (!message.value) throw new PoisonMessageError('a lifecycle record without a value');
    const source: SourcePosition = { topic, partition, offset: message.offset };
    if (topic === topics.routingRecords) {
      const { value } = await codec.decode<RoutingRecord>(
        message.value,
        'eu.alertexchange.RoutingRecord',
      );
      return factsOfRoutingRecord(value, source, traceIdOf(message));
    }
    if (topic === topics.deliveryStatus) {
      const { value } = await codec.decode<DeliveryStatus>(
        message.value,
        'eu.alertexchange.DeliveryStatus',
      );
      return factsOfDeliveryStatus(value, source, traceIdOf(message));
    }
    if (topic === topics.acknowledgements) {
      const { value } = await codec.decode<Acknowledgement>(
        message.value,
        'eu.alertexchange.Acknowledgement',
      );
      return factsOfAcknowledgement(value, source, traceIdOf(message));
    }
    if (topic === topics.personalDataReads) {
      const { value } = await codec.decode<PersonalDataRead>(
        message.value,
        'eu.alertexchange.PersonalDataRead',
      );
      return factsOfPersonalDataRead(value, source);
    }
    if (topic === topics.erasures) {
      const { value } = await codec.decode<CaseErasure>(
        message.value,
        'eu.alertexchange.CaseErasure',
      );
      return factsOfErasure(value, source);
    }
    const { value } = await codec.decode<AlertEvent>(message.value, 'eu.alertexchange.AlertEvent');
    return factsOfAlertEvent(value, source, traceIdOf(message), Number(message.timestamp));
  }

  private async appendBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty()) return;
    const { codec, producer, logger, group, topics } = this.options;
    const staged: AuditRecord[] = [];
    const stagedSources = new Set<string>();
    let skipped = 0;
    let deadLettered = 0;
    let last = this.last;
    for (const message of batch.messages) {
      let facts: AuditFact[];
      try {
        facts = await this.factsOf(batch.topic, batch.partition, message);
      } catch (error) {
        // A registry that does not answer says nothing of the record: the batch is read
        // again (its transaction never began), rather than a fact dropped to dead-letter.
        if (error instanceof UnavailableError) throw error;
        deadLettered++;
        await sendToDeadLetter(
          producer,
          message,
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            consumer: group,
            reason: `not an audit-able record: ${(error as Error).message.slice(0, 200)}`,
          },
          logger,
        );
        continue;
      }
      for (const fact of facts) {
        const source = fact.detail.source ?? '';
        if (this.sources.has(source) || stagedSources.has(source)) {
          skipped++;
          continue;
        }
        const record = appendFact(last, fact);
        staged.push(record);
        stagedSources.add(source);
        last = record;
      }
    }
    const transaction = await this.txProducer!.transaction();
    try {
      if (staged.length > 0) {
        const messages = await Promise.all(
          staged.map(async (r) => ({
            key: r.caseId,
            value: await codec.encode(this.ids!.record, r),
            partition: 0,
          })),
        );
        await transaction.send({ topic: topics.audit, acks: -1, messages });
      }
      await transaction.sendOffsets({
        consumerGroupId: group,
        topics: [
          {
            topic: batch.topic,
            partitions: [
              { partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() },
            ],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      // The transactional producer's state, and whether the broker committed, are unknown:
      // continuing the chain from memory could fork it. A fresh appender restores it.
      this.stopped(error as Error);
      throw error;
    }
    for (const record of staged) {
      const nodes = this.take(record);
      if (this.options.index) this.unindexed.push({ record, nodes });
    }
    await this.updateIndex();
    this.counts.appended += staged.length;
    this.counts.skipped += skipped;
    this.counts.deadLettered += deadLettered;
    payload.resolveOffset(batch.lastOffset());
    await payload.heartbeat();
    if (this.tree.size - this.checkpointedSize >= this.options.checkpointEvery)
      void this.maybeCheckpoint(true);
  }

  /**
   * Adds what the index has not taken yet, one update at a time (batches and checkpoints
   * both call it). The index is a cache: when Redis fails, the records wait in memory for
   * the next call, and `rebuild-index` restores it from Kafka.
   */
  private updateIndex(): Promise<void> {
    this.indexing = this.indexing.then(async () => {
      const { index, logger } = this.options;
      if (!index) return;
      const records = this.unindexed;
      const checkpoint = this.unindexedCheckpoint;
      this.unindexed = [];
      this.unindexedCheckpoint = undefined;
      try {
        if (records.length > 0) await index.add(records);
        // The checkpoint after its records: a proof of it needs their nodes in the index.
        if (checkpoint) await index.setCheckpoint(checkpoint);
      } catch (error) {
        this.unindexed = [...records, ...this.unindexed];
        this.unindexedCheckpoint ??= checkpoint;
        logger.warn(
          { waiting: this.unindexed.length, err: { message: (error as Error).message } },
          'Audit index not updated; will try again',
        );
      }
    });
    return this.indexing;
  }

  /**
   * Signs and writes a checkpoint of the committed trail when `every` records were added
   * since the last one (`due`) or the interval passed with anything new. One at a time.
   */
  private maybeCheckpoint(due: boolean): Promise<void> {
    this.checkpointing = this.checkpointing.then(async () => {
      const tree = this.tree;
      const size = tree.size;
      if (size === 0 || size <= this.checkpointedSize) return;
      const intervalPassed =
        this.now() - this.lastCheckpointAt >= this.options.checkpointIntervalMs;
      if (!due && !intervalPassed) return;
      const checkpoint = {
        treeSize: size,
        rootHash: frontierRoot(tree).toString('hex'),
        timestamp: this.now(),
      };
      const record: AuditCheckpoint = {
        ...checkpoint,
        signature: signCheckpoint(checkpoint, this.options.keys.privateKey),
        publicKey: publicKeyToBase64(this.options.keys.publicKey),
      };
      try {
        await this.options.producer.send({
          topic: this.options.topics.checkpoints,
          acks: -1,
          messages: [
            { key: null, value: await this.options.codec.encode(this.ids!.checkpoint, record) },
          ],
        });
        this.checkpointedSize = size;
        this.lastCheckpointAt = checkpoint.timestamp;
        this.latestCheckpoint = record;
        this.unindexedCheckpoint = record;
        this.counts.checkpoints++;
        void this.updateIndex();
      } catch (error) {
        this.options.logger.warn(
          { err: { message: (error as Error).message } },
          'Checkpoint not written; trying again',
        );
      }
    });
    return this.checkpointing;
  }
}

/** The trace a lifecycle record belongs to (its traceparent header), for the fact. */
function traceIdOf(message: KafkaMessage): string | null {
  return traceIdOfParent(readEventMeta(message).traceparent) ?? null;
}
