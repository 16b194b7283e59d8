import type { Consumer, EachMessagePayload } from 'kafkajs';
import {
  CASE_ERASURE_SUBJECT,
  eraseCase,
  retentionErasureId,
  type CaseErasure,
} from '@alert-exchange/contracts';
import {
  PoisonMessageError,
  sendToDeadLetter,
  UnavailableError,
  type AvroCodec,
  type CaseKeyring,
  type Kafka,
  type Logger,
  type Producer,
} from '@alert-exchange/platform';

export interface EraserOptions {
  readonly kafka: Kafka;
  readonly codec: AvroCodec;
  /** acks=all: the erasure records and the dead letters. */
  readonly producer: Producer;
  readonly logger: Logger;
  readonly keyring: CaseKeyring;
  /** privacy.erasures (or a test's). */
  readonly topic: string;
  /** The consumer group that carries out the recorded erasures. */
  readonly group: string;
  /** How often the retention's schedule is looked at. */
  readonly checkEveryMs: number;
  readonly now?: () => number;
  /** Told when the consumer stopped and kafkajs will not restart it (see KeepRunning). */
  readonly onStopped: (error: Error) => void;
}

/**
 * The erasure of closed cases' personal data (docs/PRIVACY.md, "Erasure"). Two duties:
 *
 * - Every `checkEveryMs`, each case whose retention has passed (`CaseKeyring.due`: the
 *   router closes a case's keys when it routes its RESOLVED or WITHDRAWN) is erased:
 *   a CaseErasure (RETENTION, id `retention:<caseId>`) is recorded acks=all, then the
 *   case's data keys are destroyed. After a crash between the two the case is still due
 *   and is erased again under the same id: the audit trail keeps one ERASED fact.
 * - Every erasure recorded, by this eraser or by an operator through the gateway, is
 *   carried out when read from privacy.erasures: the keys it names that still exist are
 *   destroyed. So an erasure the gateway recorded and then crashed before finishing ends
 *   done all the same; otherwise there is nothing left to destroy.
 *
 * Several routers may run: two erasing the same case at once write the same erasure id
 * and destroy the same keys, both harmless.
 */
export class Eraser {
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private readonly now: () => number;
  /** For the operator's eye (and the tests). */
  readonly counts = { erased: 0, carriedOut: 0, deadLettered: 0, failures: 0 };

  constructor(private readonly options: EraserOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts following the erasure log and looking at the schedule. */
  async start(): Promise<void> {
    const { kafka, group, topic } = this.options;
    const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && this.consumer === consumer) this.options.onStopped(payload.error);
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: (payload) => this.carryOut(payload) });
    this.timer ??= setInterval(() => void this.check(), this.options.checkEveryMs);
    this.timer.unref();
  }

  /** Stops both duties; an erasure under way finishes first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  /** Erases every case due now; one check at a time. A failure waits for the next check. */
  check(): Promise<void> {
    this.checking ??= this.eraseDue().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async eraseDue(): Promise<void> {
    const { keyring, producer, codec, topic, logger } = this.options;
    for (const caseId of keyring.due(this.now())) {
      try {
        const erasure = await eraseCase(
          keyring,
          { producer, codec, topic },
          {
            caseId,
            erasureId: retentionErasureId(caseId),
            reason: 'RETENTION',
            requestedBy: 'router',
          },
          this.now(),
        );
        this.counts.erased++;
        logger.info(
          { caseId, keysDestroyed: erasure.keyIds.length },
          "Case's personal data erased (retention)",
        );
      } catch (error) {
        this.counts.failures++;
        logger.warn(
          { caseId, err: { message: (error as Error).message } },
          'Erasure failed; the next check tries again',
        );
        return;
      }
    }
  }

  /** Destroys what a recorded erasure names and still exists; poison goes to dead-letter. */
  private async carryOut({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const { codec, keyring, producer, logger, group } = this.options;
    let erasure: CaseErasure;
    try {
      if (!message.value) throw new PoisonMessageError('an erasure record without a value');
      erasure = (await codec.decode<CaseErasure>(message.value, CASE_ERASURE_SUBJECT)).value;
    } catch (error) {
      if (error instanceof UnavailableError || !(error instanceof PoisonMessageError)) throw error;
      this.counts.deadLettered++;
      await sendToDeadLetter(
        producer,
        message,
        { topic, partition, offset: message.offset, consumer: group, reason: error.reason },
        logger,
      );
      return;
    }
    await keyring.sync();
    const destroyed = await keyring.erase(erasure.caseId, erasure.keyIds);
    if (destroyed.length > 0) {
      this.counts.carriedOut++;
      logger.info(
        { caseId: erasure.caseId, erasureId: erasure.erasureId, keysDestroyed: destroyed.length },
        'Recorded erasure carried out',
      );
    }
  }
}
