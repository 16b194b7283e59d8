import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type {
  Acknowledgement,
  Delivery,
  DeliveryReplay,
  DeliveryStatus,
  Escalation,
  Organisation,
  WebhookSecrets,
} from '@alert-exchange/contracts';
import { AvroCodec, nameUuid, type Kafka } from '@alert-exchange/platform';
import {
  createTopics,
  readTopic,
  sendMessages,
  startReadyService,
  testKafka,
  testStack,
  newSecret,
  uniqueName,
  WebhookReceiver,
  type Behaviour,
  type ServiceProcess,
} from '@alert-exchange/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/**
 * A dispatcher's world of its own on the test stack: its own directory, secrets,
 * deliveries, status, acknowledgement, escalation and command topics under a unique
 * prefix, so tests neither see nor disturb each other's records.
 */
export class DispatchWorld {
  readonly codec = new AvroCodec(testStack().schemaRegistryUrl);
  readonly kafka: Kafka = testKafka();
  readonly dispatchers: ServiceProcess[] = [];
  private sequence = 0;

  private constructor(
    readonly name: string,
    readonly receiver: WebhookReceiver,
  ) {}

  get topics() {
    return {
      directory: `${this.name}.directory`,
      secrets: `${this.name}.webhook-secrets`,
      deliveries: `${this.name}.deliveries`,
      status: `${this.name}.delivery-status`,
      acknowledgements: `${this.name}.acknowledgements`,
      escalations: `${this.name}.escalations`,
      commands: `${this.name}.delivery-commands`,
    };
  }

  static async create(): Promise<DispatchWorld> {
    const world = new DispatchWorld(uniqueName('dw'), await WebhookReceiver.start());
    const compact = [{ name: 'cleanup.policy', value: 'compact' }];
    const t = world.topics;
    await createTopics(world.kafka, [
      { topic: t.directory, numPartitions: 1, configEntries: compact },
      { topic: t.secrets, numPartitions: 1, configEntries: compact },
      { topic: t.deliveries, numPartitions: 12 },
      { topic: t.status, numPartitions: 12 },
      { topic: t.acknowledgements, numPartitions: 6 },
      { topic: t.escalations, numPartitions: 3 },
      { topic: t.commands, numPartitions: 1 },
    ]);
    return world;
  }

  /**
   * A recipient with a webhook on the receiver and fresh secrets (the receiver trusts
   * them all), or a pull recipient; written to this world's directory.
   */
  async recipient(
    options: {
      mode?: 'WEBHOOK' | 'PULL';
      roles?: Organisation['roles'];
      ackWithinMs?: number;
      secrets?: string[];
      behaviour?: Behaviour;
    } = {},
  ): Promise<Organisation> {
    const id = uniqueName('org');
    const mode = options.mode ?? 'WEBHOOK';
    const organisation: Organisation = {
      id,
      name: `${id} (test)`,
      country: 'DE',
      roles: options.roles ?? ['HOTLINE'],
      coverage: { countries: ['DE'], categories: [] },
      languages: ['de'],
      delivery: { mode, url: mode === 'WEBHOOK' ? this.receiver.url(id) : null },
      ackWithinMs: options.ackWithinMs ?? 3_600_000,
      subscriptions: [],
      active: true,
      updatedAt: Date.now(),
    };
    await this.putOrganisation(organisation);
    if (mode === 'WEBHOOK') {
      const secrets = options.secrets ?? [newSecret()];
      this.receiver.trust(id, secrets);
      await this.putSecrets(id, secrets);
    }
    if (options.behaviour) this.receiver.behave(id, options.behaviour);
    return organisation;
  }

  async putOrganisation(organisation: Organisation): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.Organisation');
    await sendMessages(this.kafka, this.topics.directory, [
      { key: organisation.id, value: await this.codec.encode(id, organisation) },
    ]);
  }

  /** The recipient's active secrets, newest first (as the gateway writes them). */
  async putSecrets(organisationId: string, secrets: string[]): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.WebhookSecrets');
    const record: WebhookSecrets = {
      organisationId,
      secrets: secrets.map((secret) => ({
        secretId: randomUUID(),
        secret,
        createdAt: Date.now(),
        revokedAt: null,
      })),
      updatedAt: Date.now(),
    };
    await sendMessages(this.kafka, this.topics.secrets, [
      { key: organisationId, value: await this.codec.encode(id, record) },
    ]);
  }

  /** A delivery as the router writes it; `caseId` and `sequence` say where it sits in its case. */
  delivery(
    recipient: Organisation,
    options: { caseId?: string; sequence?: number; ackWithinMs?: number } = {},
  ): Delivery {
    const eventId = randomUUID();
    const routedAt = Date.now();
    return {
      deliveryId: nameUuid('delivery', eventId, recipient.id),
      eventId,
      caseId: options.caseId ?? randomUUID(),
      recipientId: recipient.id,
      recipientRoles: recipient.roles,
      mode: recipient.delivery.mode,
      eventType: 'RAISED',
      category: 'RUNAWAY',
      urgency: 'HIGH',
      reasons: [{ rule: 'hotline-of-case-country', detail: 'country=DE' }],
      routedAt,
      ackBy: routedAt + (options.ackWithinMs ?? recipient.ackWithinMs),
      sequence: options.sequence ?? ++this.sequence,
      viewLevel: 'NOTICE',
      alert: JSON.stringify({ caseId: 'x', category: 'RUNAWAY', ageBand: '13-15' }),
    };
  }

  /** Writes deliveries keyed by recipient, as the router does. */
  async deliver(deliveries: readonly Delivery[]): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.Delivery');
    const messages = await Promise.all(
      deliveries.map(async (d) => ({ key: d.recipientId, value: await this.codec.encode(id, d) })),
    );
    await sendMessages(this.kafka, this.topics.deliveries, messages);
  }

  /** An acknowledgement as the gateway writes it. */
  async acknowledge(
    delivery: Delivery,
    status: 'RECEIVED' | 'ACTIONED' = 'RECEIVED',
  ): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.Acknowledgement');
    const ack: Acknowledgement = {
      ackId: randomUUID(),
      deliveryId: delivery.deliveryId,
      caseId: delivery.caseId,
      recipientId: delivery.recipientId,
      status,
      note: null,
      at: Date.now(),
    };
    await sendMessages(this.kafka, this.topics.acknowledgements, [
      { key: delivery.caseId, value: await this.codec.encode(id, ack) },
    ]);
  }

  /** A replay request as the gateway writes it. */
  async replay(deliveryIds: string[]): Promise<void> {
    const id = await this.codec.latestSchemaId('eu.alertexchange.DeliveryReplay');
    const request: DeliveryReplay = {
      requestId: randomUUID(),
      deliveryIds,
      requestedBy: 'operator-test',
      at: Date.now(),
    };
    await sendMessages(this.kafka, this.topics.commands, [
      { key: request.requestId, value: await this.codec.encode(id, request) },
    ]);
  }

  async statuses(deliveryId?: string): Promise<DeliveryStatus[]> {
    const all = await this.decodeAll<DeliveryStatus>(this.topics.status);
    return all
      .filter((s) => deliveryId === undefined || s.deliveryId === deliveryId)
      .sort((a, b) => a.at - b.at || a.attempt - b.attempt);
  }

  async escalations(): Promise<Escalation[]> {
    return this.decodeAll<Escalation>(this.topics.escalations);
  }

  async deliveries(): Promise<Delivery[]> {
    return this.decodeAll<Delivery>(this.topics.deliveries);
  }

  private async decodeAll<T>(topic: string): Promise<T[]> {
    const records = await readTopic(topic, this.kafka);
    return Promise.all(
      records.filter((r) => r.value).map(async (r) => (await this.codec.decode<T>(r.value)).value),
    );
  }

  /** The dispatcher's environment in this world: a schedule of seconds, loopback allowed. */
  env(more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const t = this.topics;
    return {
      DISPATCHER_GROUP: this.name,
      DIRECTORY_TOPIC: t.directory,
      WEBHOOK_SECRETS_TOPIC: t.secrets,
      DELIVERIES_TOPIC: t.deliveries,
      DELIVERY_STATUS_TOPIC: t.status,
      ACKNOWLEDGEMENTS_TOPIC: t.acknowledgements,
      ESCALATIONS_TOPIC: t.escalations,
      DELIVERY_COMMANDS_TOPIC: t.commands,
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      RETRY_INITIAL_DELAY: '200ms',
      RETRY_FACTOR: '2',
      RETRY_MAX_DELAY: '1s',
      RETRY_GIVE_UP_AFTER: '4s',
      RETRY_JITTER: '0',
      BREAKER_FAILURES: '100',
      ...more,
    };
  }

  async startDispatcher(more: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const dispatcher = await startReadyService(MAIN, this.env(more));
    this.dispatchers.push(dispatcher);
    return dispatcher;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.dispatchers.map((d) => d.stop()));
    await this.receiver.close();
  }
}
