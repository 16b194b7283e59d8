import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  toAlertEvent,
  type Acknowledgement,
  type AuditCheckpoint,
  type CaseErasure,
  type AuditRecord,
  type CaseBody,
  type DeliveryStatus,
  type RoutingRecord,
} from '@alert-exchange/contracts';
import {
  AvroCodec,
  createRedis,
  eventMessage,
  silentLogger,
  type Kafka,
  type Message,
} from '@alert-exchange/platform';
import {
  createTopics,
  readCommitted,
  readTopic,
  sendMessages,
  startReadyService,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import {
  keysFromSeed,
  publicKeyFromBase64,
  publicKeyToBase64,
  verifyCheckpoint,
} from './domain/checkpoint';
import { proofReachesRoot } from './domain/merkle-nodes';
import { AuditIndex } from './index-store';
import { verifyLog } from './domain/verify-log';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** Runs the auditor's command line; resolves with its exit code and output. */
function auditCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
    });
  });
}
const EXAMPLES = join(__dirname, '..', '..', '..', 'schemas', 'examples');

/**
 * The audit appender as a process on topics of its own: lifecycle records written as the
 * gateway, router and dispatcher write them, the trail read back read_committed and
 * verified offline with the public key only.
 */
describe('the audit appender', () => {
  const codec = new AvroCodec(testStack().schemaRegistryUrl);
  const kafka: Kafka = testKafka();
  const seed = randomBytes(32).toString('base64');
  const keys = keysFromSeed(seed);
  let name: string;
  let services: ServiceProcess[] = [];
  // A Redis database of its own: the index's keys are not per topic, and this suite wipes it.
  const redisUrl = (() => {
    const url = new URL(testStack().redisUrl);
    url.pathname = '/4';
    return url.toString();
  })();
  const redis = createRedis(redisUrl, silentLogger());
  beforeAll(() => redis.flushdb());
  afterAll(() => redis.disconnect());

  const topics = () => ({
    audit: `${name}.audit`,
    checkpoints: `${name}.audit-checkpoints`,
    routingRecords: `${name}.routing-records`,
    status: `${name}.delivery-status`,
    acks: `${name}.acknowledgements`,
    reads: `${name}.personal-data-reads`,
    erasures: `${name}.erasures`,
    alerts: `${name}.alerts.de`,
  });

  beforeEach(async () => {
    name = uniqueName('au');
    const t = topics();
    await createTopics(kafka, [
      { topic: t.audit, numPartitions: 1 },
      { topic: t.checkpoints, numPartitions: 1 },
      { topic: t.routingRecords, numPartitions: 6 },
      { topic: t.status, numPartitions: 12 },
      { topic: t.acks, numPartitions: 6 },
      { topic: t.reads, numPartitions: 6 },
      { topic: t.erasures, numPartitions: 1 },
      { topic: t.alerts, numPartitions: 6 },
    ]);
  });
  afterEach(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    services = [];
  });

  const start = async (): Promise<ServiceProcess> => {
    const t = topics();
    const service = await startReadyService(MAIN, {
      AUDIT_GROUP: name,
      AUDIT_TOPIC: t.audit,
      AUDIT_CHECKPOINTS_TOPIC: t.checkpoints,
      ROUTING_RECORDS_TOPIC: t.routingRecords,
      DELIVERY_STATUS_TOPIC: t.status,
      ACKNOWLEDGEMENTS_TOPIC: t.acks,
      PERSONAL_DATA_READS_TOPIC: t.reads,
      ERASURES_TOPIC: t.erasures,
      ALERT_TOPIC_PREFIX: `${name}.alerts.`,
      AUDIT_SIGNING_SEED: seed,
      REDIS_URL: redisUrl,
      CHECKPOINT_EVERY: '50',
      CHECKPOINT_INTERVAL: '1s',
    });
    services.push(service);
    return service;
  };

  const encoded = async <T>(subject: string, records: T[], keyOf: (r: T) => string) => {
    const id = await codec.latestSchemaId(subject);
    return Promise.all(
      records.map(async (r): Promise<Message> => ({
        key: keyOf(r),
        value: await codec.encode(id, r),
      })),
    );
  };

  const status = (
    deliveryId: string,
    caseId: string,
    more: Partial<DeliveryStatus>,
  ): DeliveryStatus => ({
    deliveryId,
    caseId,
    recipientId: 'hotline-at',
    attempt: 1,
    state: 'FAILED_RETRYING',
    at: Date.now(),
    httpStatus: 500,
    errorKind: 'status=500',
    nextAttemptAt: Date.now() + 10_000,
    latencyMs: 7,
    actor: null,
    ...more,
  });

  const trail = async (): Promise<AuditRecord[]> => {
    const records = await readCommitted(topics().audit, kafka);
    const decoded = await Promise.all(
      records.map(async (r) => (await codec.decode<AuditRecord>(r.value)).value),
    );
    return decoded.sort((a, b) => Number(a.seq) - Number(b.seq));
  };

  const checkpoints = async () => {
    const records = await readTopic(topics().checkpoints, kafka);
    return Promise.all(
      records.map(async (r) => {
        const { value } = await codec.decode<AuditCheckpoint>(r.value);
        return {
          checkpoint: {
            treeSize: Number(value.treeSize),
            rootHash: value.rootHash,
            timestamp: Number(value.timestamp),
          },
          signature: value.signature,
        };
      }),
    );
  };

  const recordsIn = async (service: ServiceProcess): Promise<number> =>
    ((await (await fetch(`${service.base}/status`)).json()) as { records: number }).records;

  it('appends each fact of a case once, chained, with checkpoints that verify with the public key alone, and no personal data', async () => {
    const t = topics();
    const caseId = randomUUID();
    const eventId = randomUUID();
    const deliveryId = randomUUID();
    const body = JSON.parse(
      readFileSync(join(EXAMPLES, 'raise-missing-migrant-minor.json'), 'utf8'),
    ) as CaseBody;
    const event = toAlertEvent(body, {
      caseId,
      eventId,
      eventType: 'RAISED',
      publishedAt: Date.now(),
      originatingOrganisation: 'ngo-it-migrants',
    });
    const eventId_ = await codec.latestSchemaId('eu.alertexchange.AlertEvent');
    await sendMessages(kafka, t.alerts, [
      eventMessage(await codec.encode(eventId_, event), {
        caseId,
        eventType: 'RAISED',
        origin: 'ngo-it-migrants',
        schemaId: eventId_,
      }),
    ]);
    const routing: RoutingRecord = {
      eventId,
      caseId,
      eventType: 'RAISED',
      category: event.category,
      urgency: event.urgency,
      originatingOrganisation: 'ngo-it-migrants',
      involvedCountries: ['IT', 'AT'],
      sequence: 1,
      routedAt: Date.now(),
      source: { topic: t.alerts, partition: 0, offset: 0 },
      recipients: [
        {
          recipientId: 'hotline-at',
          deliveryId,
          viewLevel: 'IDENTIFY_SPECIAL',
          reasons: [{ rule: 'hotline-of-destination', detail: 'country=AT' }],
        },
        {
          recipientId: 'ngo-at-1',
          deliveryId: randomUUID(),
          viewLevel: 'IDENTIFY',
          reasons: [{ rule: 'ngo-of-destination', detail: 'country=AT' }],
        },
      ],
    };
    await sendMessages(
      kafka,
      t.routingRecords,
      await encoded('eu.alertexchange.RoutingRecord', [routing], (r) => r.caseId),
    );
    await sendMessages(
      kafka,
      t.status,
      await encoded(
        'eu.alertexchange.DeliveryStatus',
        [
          status(deliveryId, caseId, {}),
          status(deliveryId, caseId, {
            state: 'DELIVERED',
            attempt: 2,
            httpStatus: 204,
            errorKind: null,
            nextAttemptAt: null,
          }),
          status(deliveryId, caseId, {
            state: 'ESCALATED',
            attempt: 2,
            httpStatus: null,
            errorKind: 'NOT_ACKNOWLEDGED',
            nextAttemptAt: null,
            latencyMs: null,
          }),
        ],
        (s) => s.deliveryId,
      ),
    );
    const ack: Acknowledgement = {
      ackId: randomUUID(),
      deliveryId,
      caseId,
      recipientId: 'hotline-at',
      status: 'ACTIONED',
      note: 'a restricted note',
      at: Date.now(),
    };
    await sendMessages(
      kafka,
      t.acks,
      await encoded('eu.alertexchange.Acknowledgement', [ack], (a) => a.caseId),
    );

    // The retention's erasure of the case, written twice (as after a crash between the
    // record and the keys' destruction): one ERASED fact.
    const erasure: CaseErasure = {
      erasureId: `retention:${caseId}`,
      caseId,
      at: Date.now(),
      reason: 'RETENTION',
      requestedBy: 'router',
      closedAt: Date.now() - 1_000,
      keyIds: [randomUUID()],
    };
    await sendMessages(
      kafka,
      t.erasures,
      await encoded('eu.alertexchange.CaseErasure', [erasure, erasure], (e) => e.caseId),
    );

    const service = await start();
    await waitFor('nine facts', async () => ((await recordsIn(service)) >= 9 ? true : undefined));
    const signed = await waitFor('a checkpoint of all nine', async () => {
      const c = await checkpoints();
      return c.some((x) => x.checkpoint.treeSize === 9) ? c : undefined;
    });
    const records = await trail();
    expect(records).toHaveLength(9);
    expect(records.map((r) => r.kind).sort()).toEqual(
      [
        'ERASED',
        'RECEIVED',
        'ACKNOWLEDGED',
        'ATTEMPTED',
        'DELIVERED',
        'ESCALATED',
        'PUBLISHED',
        'ROUTED',
        'ROUTED',
      ].sort(),
    );
    expect(records.every((r) => r.caseId === caseId)).toBe(true);
    expect(verifyLog(records, signed, keys.publicKey)).toMatchObject({ ok: true, problems: [] });
    // Verification needs the public key only, and fails with any other.
    const stranger = keysFromSeed(randomBytes(32).toString('base64')).publicKey;
    expect(verifyLog(records, signed, stranger).ok).toBe(false);

    // The auditor's command: the trail verifies from Kafka, and from an export, with the
    // public key alone; an export with one detail altered does not, and names the record.
    const publicKey = publicKeyToBase64(keys.publicKey);
    const kafkaArgs = [
      '--brokers',
      testStack().kafkaBrokers.join(','),
      '--registry',
      testStack().schemaRegistryUrl,
      '--topic',
      t.audit,
      '--checkpoints',
      t.checkpoints,
    ];
    const fromKafka = await auditCli(['verify', ...kafkaArgs, '--public-key', publicKey]);
    expect(fromKafka).toEqual({ code: 0, out: expect.stringContaining('verified: 9 records') });
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'trail.jsonl');
    expect((await auditCli(['export', ...kafkaArgs, '--out', file])).code).toBe(0);
    expect((await auditCli(['verify', '--file', file, '--public-key', publicKey])).code).toBe(0);
    const lines = readFileSync(file, 'utf8').split('\n');
    const victim = lines.findIndex((l) => l.includes('"kind":"ACKNOWLEDGED"'));
    lines[victim] = lines[victim]!.replace('"status":"ACTIONED"', '"status":"RECEIVED"');
    writeFileSync(file, lines.join('\n'));
    const tampered = await auditCli(['verify', '--file', file, '--public-key', publicKey]);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(`record seq ${victim}`);

    // The query index: the case's trail in order, the delivery nobody acknowledged, the
    // completeness of the hour, the latest checkpoint and a proof against it; wiped and
    // rebuilt from the topics by the auditor's command, it gives the same answers.
    const index = new AuditIndex(redis);
    const hour = Date.now() - 30 * 60_000;
    const answers = async () => ({
      trail: await index.caseTrail(caseId),
      unacknowledged: await index.unacknowledged(0, Date.now() + 1_000),
      completeness: await index.completeness(hour, hour + 3_600_000),
      checkpoint: await index.latestCheckpoint(),
      proofs: await Promise.all(records.map((r) => index.proof(Number(r.seq)))),
    });
    const live = await waitFor('the index to hold the case and its checkpoint', async () => {
      const trailNow = await index.caseTrail(caseId);
      const checkpoint = await index.latestCheckpoint();
      return trailNow.length === 9 && checkpoint?.treeSize === 9 ? answers() : undefined;
    });
    expect(live.trail.map((l) => l.seq)).toEqual(records.map((r) => Number(r.seq)));
    expect(live.unacknowledged.map((u) => [u.recipient, u.caseId])).toEqual([['ngo-at-1', caseId]]);
    // The published event was routed; of its two deliveries one was delivered (and
    // acknowledged), the other never reached its recipient: the report lists it.
    expect(live.completeness).toMatchObject({
      complete: false,
      events: { published: 1, routed: 1, exceptions: [] },
      deliveries: {
        routed: 2,
        delivered: 1,
        acknowledged: 1,
        exceptions: [{ recipient: 'ngo-at-1', caseId, latestState: 'ROUTED' }],
      },
    });
    // Every record's proof verifies against the signed checkpoint, from the proof alone.
    const checkpoint = live.checkpoint!;
    expect(
      verifyCheckpoint(checkpoint, checkpoint.signature, publicKeyFromBase64(checkpoint.publicKey)),
    ).toBe(true);
    for (const proof of live.proofs) {
      expect(proofReachesRoot(proof, checkpoint)).toBe(true);
      // The proof's record is the one the trail holds: altering it breaks the proof.
      const leaf = Buffer.from(proof.canonicalRecord, 'base64').toString('utf8');
      const altered = Buffer.from(leaf.replace(caseId, randomUUID())).toString('base64');
      expect(proofReachesRoot({ ...proof, canonicalRecord: altered }, checkpoint)).toBe(false);
    }
    await index.wipe();
    expect(await index.caseTrail(caseId)).toEqual([]);
    expect(await index.latestCheckpoint()).toBeUndefined();
    await expect(index.proof(0)).rejects.toMatchObject({ reason: 'NO_CHECKPOINT' });
    const rebuilt = await auditCli(['rebuild-index', ...kafkaArgs, '--redis', redisUrl]);
    expect(rebuilt).toEqual({ code: 0, out: expect.stringContaining('from 9 records') });
    expect(await answers()).toEqual(live);

    const text = JSON.stringify(records.map((r) => ({ ...r, prevHash: null, hash: null })));
    const personal = [
      ...(event.personal.clear?.names ?? []).flatMap((n) => Object.values(n)),
      event.originCaseReference,
      event.contact.phone,
      'a restricted note',
    ].filter((v): v is string => typeof v === 'string' && v.length > 2);
    expect(personal.length).toBeGreaterThan(2);
    for (const value of personal) expect(text).not.toContain(value);
  });

  it('loses and repeats nothing when killed with SIGKILL while appending', async () => {
    const t = topics();
    const caseId = randomUUID();
    const statuses = Array.from({ length: 600 }, (_, i) =>
      status(randomUUID(), caseId, { attempt: 1 + (i % 5) }),
    );
    await sendMessages(
      kafka,
      t.status,
      await encoded('eu.alertexchange.DeliveryStatus', statuses, (s) => s.deliveryId),
    );
    const first = await start();
    await waitFor(
      'some facts appended',
      async () => ((await recordsIn(first)) > 0 ? true : undefined),
      {
        intervalMs: 20,
      },
    );
    await first.kill();
    const atKill = (await trail()).length;
    const second = await start();
    await waitFor('every fact', async () => ((await recordsIn(second)) >= 600 ? true : undefined), {
      timeoutMs: 120_000,
    });
    const records = await trail();
    process.stdout.write(`Audit SIGKILL: ${atKill} of 600 facts committed before the kill\n`);
    expect(records).toHaveLength(600);
    expect(new Set(records.map((r) => r.detail.source)).size).toBe(600);
    const signed = await waitFor('a checkpoint of all', async () => {
      const c = await checkpoints();
      return c.some((x) => x.checkpoint.treeSize === 600) ? c : undefined;
    });
    expect(verifyLog(records, signed, keys.publicKey)).toMatchObject({ ok: true });
  });
});
