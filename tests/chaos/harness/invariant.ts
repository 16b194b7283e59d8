import type {
  AlertEvent,
  AuditCheckpoint,
  AuditRecord,
  Organisation,
} from '@alert-exchange/contracts';
import { keysFromSeed, verifyLog } from '@alert-exchange/audit';
import {
  FollowedLog,
  PoisonMessageError,
  silentLogger,
  type AvroCodec,
  type Kafka,
} from '@alert-exchange/platform';
import {
  readTopic,
  type Publication,
  type Receipts,
  type ScratchExchange,
} from '@alert-exchange/testing';
import { deliveryIdOf } from '../../../services/router/src/delivery-id';
import { routeEvent } from '../../../services/router/src/domain/routing';

/** One (event, recipient) the routing rules owe a delivery to. */
export interface ExpectedDelivery {
  readonly eventId: string;
  readonly recipientId: string;
  readonly deliveryId: string;
  readonly mode: string;
}

/** The exchange's Kafka records a check reads: events, the directory, the trail. */
export interface ExchangeRecords {
  readonly events: AlertEvent[];
  readonly directory: Organisation[];
  readonly trail: AuditRecord[];
  readonly checkpoints: AuditCheckpoint[];
}

/**
 * A topic's records of type `record` (its full name), as its consumers read them: a
 * record they send to the dead-letter topic (unreadable, or of another type: the poison
 * scenario writes such records to every topic) is left out.
 */
async function decodeTopic<T>(
  kafka: Kafka,
  codec: AvroCodec,
  topic: string,
  record: string,
): Promise<T[]> {
  const records = await readTopic(topic, kafka);
  const decoded = await Promise.all(
    records
      .filter((r) => r.value)
      .map((r) =>
        codec.decode<T>(r.value, record).then(
          (d) => d.value,
          (error: unknown) => {
            if (error instanceof PoisonMessageError) return undefined;
            throw error;
          },
        ),
      ),
  );
  return decoded.filter((v): v is Awaited<T> => v !== undefined);
}

/** A transactionally written topic read read_committed to its end (the audit trail). */
async function followToEnd<T>(kafka: Kafka, codec: AvroCodec, topic: string): Promise<T[]> {
  const found: T[] = [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const log = await FollowedLog.open({
      kafka,
      admin,
      topic,
      name: 'chaos-check',
      logger: silentLogger(),
      onRecord: async ({ message }) => {
        if (message.value) found.push((await codec.decode<T>(message.value)).value);
      },
    });
    try {
      await log.caughtUp(300_000);
    } finally {
      await log.close();
    }
  } finally {
    await admin.disconnect();
  }
  return found;
}

/**
 * Reads what the check needs from the exchange's broker: every event of the given alert
 * topics, the directory as the router sees it (the latest record per organisation), and
 * the audit trail and its checkpoints read_committed, as an auditor's verifier reads them.
 */
export async function readExchangeRecords(
  exchange: ScratchExchange,
  alertTopics: readonly string[],
): Promise<ExchangeRecords> {
  const kafka = exchange.client();
  const events = (
    await Promise.all(
      alertTopics.map((t) =>
        decodeTopic<AlertEvent>(kafka, exchange.codec, t, 'eu.alertexchange.AlertEvent'),
      ),
    )
  ).flat();
  const latest = new Map<string, Organisation>();
  for (const o of await decodeTopic<Organisation>(
    kafka,
    exchange.codec,
    'directory.organisations',
    'eu.alertexchange.Organisation',
  ))
    latest.set(o.id, o);
  const trail = await followToEnd<AuditRecord>(kafka, exchange.codec, 'audit');
  const checkpoints = await followToEnd<AuditCheckpoint>(
    kafka,
    exchange.codec,
    'audit.checkpoints',
  );
  return { events, directory: [...latest.values()], trail, checkpoints };
}

/** What a scenario's invariant check found; `problems` is empty when it holds. */
export interface InvariantReport {
  readonly alerts: number;
  readonly accepted: number;
  readonly refused: number;
  readonly expected: number;
  readonly received: number;
  readonly rawReceipts: number;
  /** Receipts beyond the first of a deliveryId (at-least-once re-sends). */
  readonly repeats: number;
  readonly lost: number;
  /** Accepted alerts whose event is not in Kafka. */
  readonly eventsMissing: number;
  /** (event, recipient) pairs received under two deliveryIds, plus keys with two cases or events. */
  readonly duplicates: number;
  readonly unexpected: number;
  readonly acknowledged: number;
  readonly trailRecords: number;
  readonly trailMissing: number;
  readonly trailVerified: boolean;
  /** ATTEMPTED facts: webhook attempts that failed and were tried again. */
  readonly failedAttempts: number;
  readonly apiViolations: number;
  readonly problems: string[];
}

const sample = (items: readonly string[]): string =>
  `${items.length}${items.length ? `: ${items.slice(0, 5).join('; ')}` : ''}`;

/**
 * The invariant every chaos scenario ends with:
 * - every accepted alert's event is in Kafka once per Idempotency-Key (one caseId and one
 *   eventId per key; a republished key answered the first ids);
 * - the expected (event, recipient) set is the pure routing (`routeEvent`, the router's own
 *   function) of those events over the directory as written to Kafka, and `expectRecipients`
 *   (the scenario's design) must agree with it for every event;
 * - every expected delivery was received by its recipient (webhook or pull) at least once,
 *   under its deliveryId only: lost = expected − received; duplicates after de-duplication
 *   = pairs received under a second deliveryId, plus keys that made a second case or event;
 *   nothing unexpected was received;
 * - every expected delivery was acknowledged (`acked`, the ack API's 200s);
 * - the audit trail holds RECEIVED, PUBLISHED and ROUTED (per recipient) for every event,
 *   DELIVERED for every webhook delivery and ACKNOWLEDGED for every delivery, and
 *   `verifyLog` passes over the whole trail and its signed checkpoints;
 * - the API gave no 5xx other than 503 with Retry-After (`apiViolations`), and no service
 *   crashed (`crashes`).
 */
export function checkInvariant(input: {
  readonly publications: readonly Publication[];
  readonly records: ExchangeRecords;
  readonly receipts: ReadonlyMap<string, Receipts>;
  readonly acked: ReadonlySet<string>;
  readonly expectRecipients: readonly string[];
  readonly signingSeed: string;
  readonly apiViolations: readonly string[];
  readonly crashes: readonly string[];
}): InvariantReport {
  const { publications, records } = input;
  const problems: string[] = [];
  const accepted = publications.filter((p) => p.eventId !== undefined);
  const refused = publications.filter((p) => p.refused !== undefined);
  if (refused.length) problems.push(`alerts refused: ${sample(refused.map((p) => p.refused!))}`);

  // One case and one event per Idempotency-Key, in Kafka and in the API's answers.
  const byReference = new Map<string, Set<string>>();
  const eventById = new Map<string, AlertEvent>();
  for (const e of records.events) {
    eventById.set(e.eventId, e);
    const ids = byReference.get(e.originCaseReference) ?? new Set<string>();
    ids.add(`${e.caseId}/${e.eventId}`);
    byReference.set(e.originCaseReference, ids);
  }
  const twiceInKafka = publications
    .filter((p) => (byReference.get(p.key)?.size ?? 0) > 1)
    .map((p) => `${p.key}: ${[...byReference.get(p.key)!].join(', ')}`);
  const divergent = publications
    .filter((p) => p.divergent.length > 0)
    .map((p) => `${p.key}: ${p.caseId}/${p.eventId} then ${p.divergent.join(', ')}`);
  if (twiceInKafka.length) problems.push(`keys published twice: ${sample(twiceInKafka)}`);
  if (divergent.length) problems.push(`keys answered other ids: ${sample(divergent)}`);
  const missingEvents = accepted.filter((p) => !eventById.has(p.eventId!)).map((p) => p.key);
  if (missingEvents.length) problems.push(`accepted, not in Kafka: ${sample(missingEvents)}`);

  // The expected deliveries: the router's pure routing of each accepted event.
  const expected = new Map<string, ExpectedDelivery>();
  const wrongFanOut: string[] = [];
  const want = [...input.expectRecipients].sort().join(',');
  for (const p of accepted) {
    const event = eventById.get(p.eventId!);
    if (!event) continue;
    const outcome = routeEvent(event, undefined, records.directory, deliveryIdOf);
    if (outcome.kind !== 'routed') {
      problems.push(`${event.eventId} is ${outcome.kind} by the pure routing`);
      continue;
    }
    const got = outcome.recipients.map((r) => r.organisationId);
    if ([...got].sort().join(',') !== want) wrongFanOut.push(`${p.key}: ${got.join(',')}`);
    for (const r of outcome.recipients)
      expected.set(r.deliveryId, {
        eventId: event.eventId,
        recipientId: r.organisationId,
        deliveryId: r.deliveryId,
        mode: r.mode,
      });
  }
  if (wrongFanOut.length) problems.push(`routing differs from the design: ${sample(wrongFanOut)}`);

  // What recipients received, de-duplicated on deliveryId.
  let rawReceipts = 0;
  const pairs = new Map<string, Set<string>>();
  const unexpected: string[] = [];
  const received = new Set<string>();
  for (const [recipientId, r] of input.receipts) {
    for (const [deliveryId, times] of r.times) {
      rawReceipts += times;
      received.add(deliveryId);
      const pair = `${r.eventOf.get(deliveryId)} ${recipientId}`;
      pairs.set(pair, (pairs.get(pair) ?? new Set()).add(deliveryId));
      if (expected.get(deliveryId)?.recipientId !== recipientId)
        unexpected.push(`${recipientId} ${deliveryId}`);
    }
  }
  const underTwoIds = [...pairs].filter(([, ids]) => ids.size > 1).map(([pair]) => pair);
  const lost = [...expected.values()].filter((d) => !received.has(d.deliveryId));
  const unacked = [...expected.values()].filter(
    (d) => !input.acked.has(`${d.recipientId} ${d.deliveryId}`),
  );
  if (lost.length)
    problems.push(`lost: ${sample(lost.map((d) => `${d.recipientId} ${d.deliveryId}`))}`);
  if (underTwoIds.length) problems.push(`received under two deliveryIds: ${sample(underTwoIds)}`);
  if (unexpected.length) problems.push(`received, not expected: ${sample(unexpected)}`);
  if (unacked.length)
    problems.push(
      `not acknowledged: ${sample(unacked.map((d) => `${d.recipientId} ${d.deliveryId}`))}`,
    );

  // The trail: the facts of every event and delivery, and an intact, signed log.
  const facts = new Set<string>();
  let failedAttempts = 0;
  for (const r of records.trail) {
    if (r.kind === 'ATTEMPTED') failedAttempts++;
    if (r.eventId) facts.add(`${r.kind} event ${r.eventId}`);
    if (r.deliveryId) facts.add(`${r.kind} delivery ${r.deliveryId}`);
  }
  const trailMissing: string[] = [];
  for (const p of accepted) {
    if (!eventById.has(p.eventId!)) continue;
    for (const kind of ['RECEIVED', 'PUBLISHED'])
      if (!facts.has(`${kind} event ${p.eventId}`)) trailMissing.push(`${kind} ${p.eventId}`);
  }
  for (const d of expected.values()) {
    const kinds =
      d.mode === 'WEBHOOK' ? ['ROUTED', 'DELIVERED', 'ACKNOWLEDGED'] : ['ROUTED', 'ACKNOWLEDGED'];
    for (const kind of kinds)
      if (!facts.has(`${kind} delivery ${d.deliveryId}`))
        trailMissing.push(`${kind} ${d.recipientId} ${d.deliveryId}`);
  }
  if (trailMissing.length) problems.push(`missing from the trail: ${sample(trailMissing)}`);
  const verdict = verifyLog(
    records.trail,
    records.checkpoints.map((c) => ({
      checkpoint: {
        treeSize: Number(c.treeSize),
        rootHash: c.rootHash,
        timestamp: Number(c.timestamp),
      },
      signature: c.signature,
    })),
    keysFromSeed(input.signingSeed).publicKey,
  );
  if (!verdict.ok)
    problems.push(
      `the trail does not verify: ${sample(verdict.problems.map((p) => `${p.seq ?? ''}/${p.checkpointTreeSize ?? ''} ${p.problem}`))}`,
    );
  if (records.checkpoints.length === 0) problems.push('the trail has no signed checkpoint');
  if (input.apiViolations.length) problems.push(`5xx answers: ${sample(input.apiViolations)}`);
  if (input.crashes.length) problems.push(`services crashed: ${sample(input.crashes)}`);

  return {
    alerts: publications.length,
    accepted: accepted.length,
    refused: refused.length,
    expected: expected.size,
    received: [...received].filter((id) => expected.has(id)).length,
    rawReceipts,
    repeats: rawReceipts - received.size,
    lost: lost.length,
    eventsMissing: missingEvents.length,
    duplicates: underTwoIds.length + twiceInKafka.length + divergent.length,
    unexpected: unexpected.length,
    acknowledged: expected.size - unacked.length,
    trailRecords: records.trail.length,
    trailMissing: trailMissing.length,
    trailVerified: verdict.ok,
    failedAttempts,
    apiViolations: input.apiViolations.length,
    problems,
  };
}
