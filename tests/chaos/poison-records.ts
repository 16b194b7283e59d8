import { randomUUID } from 'node:crypto';
import type { AlertEvent, Delivery, Organisation } from '@alert-exchange/contracts';
import { DEAD_LETTER_TOPIC, type AvroCodec, type Kafka } from '@alert-exchange/platform';
import { readCommitted, sendMessages } from '@alert-exchange/testing';

/** The header every injected poison record carries; dead letters keep the original headers. */
export const POISON_HEADER = 'chaos-poison';

/** What a poison record is made of. */
export type PoisonKind =
  /** Plain JSON: no Confluent magic byte. */
  | 'not-wire-format'
  /** Magic byte 0 and a schema id the registry never issued. */
  | 'unknown-schema-id'
  /** A valid Avro record of another schema than the topic's. */
  | 'wrong-schema'
  /** The topic's own schema, but meaningless (described per topic). */
  | 'meaningless'
  /** A key and no value. (A record without a key cannot be written to a compacted topic.) */
  | 'tombstone';

/**
 * What the consumers of a topic must do with its poison: `deadLetter` names the consumer
 * (the `ax-dlq-consumer` header: its group or view name, a prefix for per-instance names)
 * of every consumer that must send each poison record of the kinds listed to the
 * dead-letter topic; `skipped` the consumers whose documented policy is to pass over an
 * unreadable record without a dead letter, and why.
 */
export interface TopicPoisonPlan {
  readonly topic: string;
  readonly kinds: readonly PoisonKind[];
  readonly deadLetter: Partial<Record<PoisonKind, readonly string[]>>;
  readonly skipped?: string;
}

/** One poison record written to a topic. */
export interface InjectedPoison {
  readonly id: string;
  readonly topic: string;
  readonly kind: PoisonKind;
  readonly expectedConsumers: readonly string[];
}

/** A dead letter as the check reads it. */
export interface DeadLetter {
  readonly poisonId: string | undefined;
  readonly topic: string;
  readonly consumer: string;
  readonly reason: string;
}

const junk = Buffer.from('{"caseId":"plain JSON, not Avro"}');
const unknownSchema = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from('x')]);

/** Encodes `value` with the latest schema of eu.alertexchange.`name`. */
async function encode(codec: AvroCodec, name: string, value: unknown): Promise<Buffer> {
  return codec.encode(await codec.latestSchemaId(`eu.alertexchange.${name}`), value);
}

/** A valid record of a schema no exchange topic but delivery-commands carries. */
const replayRequest = (codec: AvroCodec): Promise<Buffer> =>
  encode(codec, 'DeliveryReplay', {
    requestId: randomUUID(),
    deliveryIds: [randomUUID()],
    requestedBy: 'chaos-poison',
    at: Date.now(),
  });

/** `real` made an update of a case nobody raised: routing it would tell no one anything. */
function updateOfUnknownCase(real: AlertEvent): AlertEvent {
  return { ...real, eventId: randomUUID(), caseId: randomUUID(), eventType: 'UPDATED' };
}

/** A delivery whose alert is not a JSON object: no recipient could be shown it. */
function deliveryWithoutAlert(): Delivery {
  const eventId = randomUUID();
  return {
    deliveryId: randomUUID(),
    eventId,
    caseId: randomUUID(),
    recipientId: 'hotline-lu',
    recipientRoles: ['HOTLINE'],
    mode: 'WEBHOOK',
    eventType: 'RAISED',
    category: 'RUNAWAY',
    urgency: 'HIGH',
    reasons: [{ rule: 'hotline-of-case-country', detail: 'country=LU' }],
    routedAt: Date.now(),
    ackBy: Date.now() + 3_600_000,
    sequence: 1,
    viewLevel: 'NOTICE',
    alert: 'not a JSON object',
  };
}

/** An organisation record keyed by another organisation's id. */
function organisation(id: string): Organisation {
  return {
    id,
    name: `${id} (poison)`,
    country: 'IS',
    roles: ['MEMBER_NGO'],
    coverage: { countries: ['IS'], categories: [] },
    languages: ['is'],
    delivery: { mode: 'PULL', url: null },
    ackWithinMs: 3_600_000,
    subscriptions: [],
    active: true,
    updatedAt: Date.now(),
  };
}

/** The value of a poison record of `kind` for `topic`. */
async function poisonValue(
  codec: AvroCodec,
  topic: string,
  kind: PoisonKind,
  realEvent: AlertEvent,
): Promise<{ key: string | null; value: Buffer | null }> {
  const key = `poison-${kind}-${randomUUID()}`;
  switch (kind) {
    case 'not-wire-format':
      return { key, value: junk };
    case 'unknown-schema-id':
      return { key, value: unknownSchema };
    case 'tombstone':
      return { key, value: null };
    case 'wrong-schema':
      return {
        key,
        value:
          topic === 'delivery-commands'
            ? await encode(codec, 'Acknowledgement', {
                ackId: randomUUID(),
                deliveryId: randomUUID(),
                caseId: randomUUID(),
                recipientId: 'hotline-lu',
                status: 'RECEIVED',
                note: null,
                at: Date.now(),
              })
            : await replayRequest(codec),
      };
    case 'meaningless':
      if (topic.startsWith('alerts.')) {
        const event = updateOfUnknownCase(realEvent);
        return { key: event.caseId, value: await encode(codec, 'AlertEvent', event) };
      }
      if (topic === 'deliveries')
        return {
          key: 'hotline-lu',
          value: await encode(codec, 'Delivery', deliveryWithoutAlert()),
        };
      if (topic === 'directory.organisations')
        return {
          key: 'poison-org-a',
          value: await encode(codec, 'Organisation', organisation('poison-org-b')),
        };
      throw new Error(`no meaningless record for ${topic}`);
  }
}

/**
 * Writes one poison record of each kind the plan names to its topic; `realEvent` (an
 * event the exchange accepted) is the model of the meaningless alert event.
 */
export async function injectPoison(
  kafka: Kafka,
  codec: AvroCodec,
  plans: readonly TopicPoisonPlan[],
  realEvent: AlertEvent,
): Promise<InjectedPoison[]> {
  const injected: InjectedPoison[] = [];
  for (const plan of plans) {
    const messages = [];
    for (const kind of plan.kinds) {
      const id = `${plan.topic}/${kind}/${randomUUID()}`;
      const { key, value } = await poisonValue(codec, plan.topic, kind, realEvent);
      messages.push({ key, value, headers: { [POISON_HEADER]: id } });
      injected.push({
        id,
        topic: plan.topic,
        kind,
        expectedConsumers: plan.deadLetter[kind] ?? [],
      });
    }
    await sendMessages(kafka, plan.topic, messages);
  }
  return injected;
}

/** Every dead letter on the broker, read read_committed (the router writes them in transactions). */
export async function readDeadLetters(kafka: Kafka): Promise<DeadLetter[]> {
  const records = await readCommitted(DEAD_LETTER_TOPIC, kafka);
  return records.map((r) => ({
    poisonId: r.headers[POISON_HEADER],
    topic: r.headers['ax-dlq-topic'] ?? '',
    consumer: r.headers['ax-dlq-consumer'] ?? '',
    reason: r.headers['ax-dlq-reason'] ?? '',
  }));
}

/**
 * Which expected dead letters are missing: `topic kind consumer` for each injected record
 * and consumer the plan says must dead-letter it but has not (a consumer name matches a
 * dead letter's consumer exactly or as the prefix of a per-instance name), or whose
 * reason is empty.
 */
export function missingDeadLetters(
  injected: readonly InjectedPoison[],
  letters: readonly DeadLetter[],
): string[] {
  const missing: string[] = [];
  for (const p of injected)
    for (const consumer of p.expectedConsumers) {
      const found = letters.find(
        (l) =>
          l.poisonId === p.id &&
          (l.consumer === consumer || l.consumer.startsWith(`${consumer}-`)) &&
          l.reason.length > 0,
      );
      if (!found) missing.push(`${p.topic} ${p.kind} ${consumer}`);
    }
  return missing;
}

/** The end offset of each partition of `topic` that holds records. */
export async function endsOf(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(
      offsets.filter((p) => BigInt(p.high) > 0n).map((p) => [p.partition, BigInt(p.high)]),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * The partitions of `topic` where consumer group `group` has not yet committed past
 * `ends` (`topic[partition] committed/end`): a consumer stuck on a poison record never does.
 */
export async function behind(
  kafka: Kafka,
  group: string,
  topic: string,
  ends: ReadonlyMap<number, bigint>,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const at = new Map(
      (committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)] as const),
    );
    return [...ends]
      .filter(([p, end]) => (at.get(p) ?? -1n) < end)
      .map(([p, end]) => `${group} ${topic}[${p}] ${at.get(p) ?? -1n}/${end}`);
  } finally {
    await admin.disconnect();
  }
}
