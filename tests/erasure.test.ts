import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keysFromSeed, publicKeyToBase64, type TrailEntry } from '@alert-exchange/audit';
import {
  openEvent,
  openView,
  type AlertEvent,
  type Delivery,
  type SealedAlertView,
} from '@alert-exchange/contracts';
import { AvroCodec } from '@alert-exchange/platform';
import {
  createTopics,
  readTopic,
  redisText,
  testKafka,
  testKeyring,
  testStack,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import { call, example } from '../services/gateway/src/api-client.test-helper';
import {
  createPipeline,
  enrolOrganisation,
  startPipelineAudit,
  startPipelineGateway,
  startPipelineRouter,
  type PipelineTopics,
} from './pipeline.test-helper';

const AUDIT_CLI = join(__dirname, '..', 'services', 'audit', 'dist', 'cli.js');
/** How long a closed case's personal data is kept here: seconds, not 30 days. */
const RETENTION = '3s';

/**
 * Issue 12, "Done when": a case with a distinctive name is published, read by each role,
 * resolved, and left until its retention has passed; then every topic of the broker, every
 * Redis value, every line the services logged and the audit export are searched for the
 * name, the case's data keys and anything of the case that would still open, and the
 * audit trail (which records the erasure) still verifies. And an operator's immediate
 * erasure, audited. Every service is a real process on topics of this test's own, the
 * cases' data keys in a topic compacted within seconds; the alert topics are the shared
 * alerts.<cc>, in Slovenia and Croatia, which no other suite routes to.
 */
describe('erasure of a case’s personal data', () => {
  let world: DispatchWorld;
  let topics: PipelineTopics;
  let caseKeys = '';
  let redisUrl = '';
  let gateway: ServiceProcess;
  const services: ServiceProcess[] = [];
  const seed = randomBytes(32).toString('base64');
  const ids = {
    originator: uniqueName('ngo-si'),
    hotline: uniqueName('hotline-hr'),
    operator: uniqueName('operator'),
    auditor: uniqueName('auditor'),
    stranger: uniqueName('ngo-hu'),
  };
  const keys: Record<string, string> = {};
  const as = (who: string, method: string, path: string, body?: unknown) =>
    call(gateway.base, keys[who], method, path, body);

  beforeAll(async () => {
    world = await DispatchWorld.create();
    const pipeline = await createPipeline(world, 9);
    topics = pipeline.topics;
    redisUrl = pipeline.redisUrl;
    // Compacted within seconds: a segment rolls after a second, any dirt is cleaned, and
    // tombstones go after a second too (production: docs/PRIVACY.md, infra/topics.yaml).
    caseKeys = `${world.name}.case-keys`;
    await createTopics(world.kafka, [
      {
        topic: caseKeys,
        numPartitions: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'min.compaction.lag.ms', value: '0' },
          { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          { name: 'segment.ms', value: '1000' },
          { name: 'delete.retention.ms', value: '1000' },
          { name: 'file.delete.delay.ms', value: '1000' },
        ],
      },
    ]);
    // Every service logs at debug, so that every line can be searched.
    const env = { CASE_KEYS_TOPIC: caseKeys, LOG_LEVEL: 'debug' };
    gateway = await startPipelineGateway(topics, redisUrl, env);
    services.push(gateway);
    const enrol = async (
      id: string,
      country: string,
      roles: string[],
      delivery: Record<string, string>,
    ) => {
      const enrolled = await enrolOrganisation(gateway.base, id, country, roles, delivery);
      if (enrolled.webhookSecret) world.receiver.trust(id, [enrolled.webhookSecret]);
      keys[id] = enrolled.key;
    };
    await enrol(ids.originator, 'SI', ['member-ngo'], { mode: 'pull' });
    await enrol(ids.hotline, 'HR', ['hotline'], {
      mode: 'webhook',
      url: world.receiver.url(ids.hotline),
    });
    await enrol(ids.operator, 'SI', ['operator'], { mode: 'pull' });
    await enrol(ids.auditor, 'SI', ['auditor'], { mode: 'pull' });
    await enrol(ids.stranger, 'HU', ['member-ngo'], { mode: 'pull' });
    world.receiver.behave(ids.hotline, () => ({ status: 204 }));
    services.push(
      await startPipelineRouter(topics, {
        ...env,
        PERSONAL_DATA_RETENTION: RETENTION,
        ERASURE_CHECK_INTERVAL: '500ms',
      }),
    );
    services.push(await world.startDispatcher({ REDIS_URL: redisUrl, ...env }));
    services.push(await startPipelineAudit(topics, redisUrl, seed, { LOG_LEVEL: 'debug' }));
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await world?.close();
  });

  /** A case raised in Slovenia, Croatia its suspected destination, with a unique child. */
  const raise = async (marker: string): Promise<string> => {
    const body = example('raise-runaway.json');
    body.countries = {
      caseCountry: 'SI',
      lastSeenCountry: 'SI',
      suspectedDestinations: ['HR'],
      knownRoute: [],
    };
    body.child.names = [{ given: marker, family: `${marker}ova`, script: 'Latn', lang: 'en' }];
    body.child.descriptions[0].text = `tall, ${marker.toLowerCase()} coat`;
    body.lastSeen.place = `Station ${marker.toUpperCase()}`;
    const published = await as(ids.originator, 'POST', '/v1/alerts', body);
    if (published.status !== 202)
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    const { caseId } = published.body as { caseId: string };
    await waitFor('the push to the hotline', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.body.caseId === caseId),
    );
    return caseId;
  };
  const trailOf = async (caseId: string): Promise<TrailEntry[]> => {
    const answer = await as(ids.auditor, 'GET', `/v1/audit/cases/${caseId}`);
    return answer.status === 200 ? (answer.body as { entries: TrailEntry[] }).entries : [];
  };
  const trailWhen = (caseId: string, what: string, done: (t: TrailEntry[]) => boolean) =>
    waitFor(
      what,
      async () => {
        const trail = await trailOf(caseId);
        return done(trail) ? trail : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 300 },
    );
  const viewOf = async (who: string, caseId: string) => {
    const answer = await as(who, 'GET', `/v1/alerts/${caseId}`);
    return { status: answer.status, text: JSON.stringify(answer.body) };
  };

  it('shows each role its view and records every read; after the retention the name is nowhere readable, and the trail still verifies', async () => {
    const marker = `Wqxelda${randomBytes(4).toString('hex')}`;
    const personal = [marker, marker.toLowerCase(), marker.toUpperCase()];
    const caseId = await raise(marker);

    // Each role's view while the case is open: the originator and operators see it all,
    // the hotline it was routed to its view (names included, at its level), an auditor
    // and an organisation it was not routed to nothing (404, as for no case at all).
    expect(await viewOf(ids.originator, caseId)).toMatchObject({
      status: 200,
      text: expect.stringContaining(marker),
    });
    expect(await viewOf(ids.operator, caseId)).toMatchObject({
      status: 200,
      text: expect.stringContaining(marker),
    });
    expect(await viewOf(ids.hotline, caseId)).toMatchObject({
      status: 200,
      text: expect.stringContaining(marker),
    });
    expect((await viewOf(ids.auditor, caseId)).status).toBe(404);
    expect((await viewOf(ids.stranger, caseId)).status).toBe(404);
    const inbox = await as(ids.hotline, 'GET', '/v1/inbox');
    expect(JSON.stringify(inbox.body)).toContain(marker);
    // Every read of personal data is in the trail: who, how, when, which case; the
    // refused ones are not reads.
    const reads = await trailWhen(caseId, 'the four reads in the trail', (t) => {
      const readers = t.filter((e) => e.kind === 'PERSONAL_DATA_READ');
      return readers.length >= 4;
    });
    const readBy = reads
      .filter((e) => e.kind === 'PERSONAL_DATA_READ')
      .map((e) => [e.actor, e.detail.via]);
    expect(readBy).toEqual(
      expect.arrayContaining([
        [ids.originator, 'CASE_VIEW'],
        [ids.operator, 'CASE_VIEW'],
        [ids.hotline, 'CASE_VIEW'],
        [ids.hotline, 'INBOX'],
      ]),
    );
    expect(readBy).toHaveLength(4);
    const keyring = await testKeyring(world.kafka, caseKeys);
    let dataKeys: Buffer[];
    try {
      await keyring.keyring.sync();
      dataKeys = keyring.keyring.keysOf(caseId).map((k) => k.wrappedKey);
    } finally {
      await keyring.stop();
    }
    expect(dataKeys).toHaveLength(1);

    // Resolved: the router schedules the key's destruction, the eraser destroys it once
    // the retention has passed, and the trail says so.
    const resolved = await as(
      ids.originator,
      'POST',
      `/v1/alerts/${caseId}/events`,
      example('event-resolved.json'),
    );
    expect(resolved.status).toBe(202);
    const trail = await trailWhen(caseId, 'the erasure in the trail', (t) =>
      t.some((e) => e.kind === 'ERASED'),
    );
    const resolvedAt = Date.parse(trail.find((e) => e.kind === 'RESOLVED')!.at);
    const erased = trail.filter((e) => e.kind === 'ERASED');
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({
      actor: 'router',
      detail: { reason: 'RETENTION', keysDestroyed: '1' },
    });
    expect(Date.parse(erased[0]!.at)).toBeGreaterThanOrEqual(resolvedAt + 3_000 - 1_000);

    // Kafka then compacts the key away: the topic holds no key of the case any more, only
    // (for a while) its tombstone. A record written now and then rolls the segment, as
    // a busy exchange's new cases do.
    const filler = await testKeyring(world.kafka, caseKeys);
    try {
      await waitFor(
        'the case’s data key compacted away',
        async () => {
          await filler.keyring.seal(randomUUID(), Buffer.from('filler'));
          const records = await readTopic(caseKeys, world.kafka);
          return records.some((r) => r.key?.startsWith(caseId) && r.value !== null)
            ? undefined
            : true;
        },
        { timeoutMs: 240_000, intervalMs: 2_000 },
      );
    } finally {
      await filler.stop();
    }

    // Every topic of the broker, read uncommitted (aborted writes too): neither the name
    // nor the data key, sealed or not, anywhere.
    const scanned = await scanEveryTopic(
      [...personal.map((p) => Buffer.from(p)), ...dataKeys, Buffer.from(caseId)],
      (topic, value) =>
        (topic === 'alerts.si' || topic === topics.deliveries) && value.includes(caseId),
    );
    expect(scanned.topics).toContain(caseKeys);
    expect(scanned.topics).toContain('alerts.si');
    // The case id, not personal, is found where the case went (the scan reads what it
    // should); nothing else is found anywhere.
    const needle = personal.length + dataKeys.length;
    const ofCaseId = new Set(scanned.hits.filter((h) => h.needle === needle).map((h) => h.topic));
    expect([...ofCaseId]).toEqual(
      expect.arrayContaining(['alerts.si', topics.deliveries, topics.audit, caseKeys]),
    );
    expect(scanned.hits.filter((h) => h.needle !== needle)).toEqual([]);
    // What is left of the case in Kafka is sealed with a key nobody has: a fresh reader
    // with the master key opens none of it.
    const fresh = await testKeyring(world.kafka, caseKeys);
    const codec = new AvroCodec(testStack().schemaRegistryUrl);
    try {
      const events = scanned.kept.filter((r) => r.topic === 'alerts.si');
      expect(events.length).toBeGreaterThanOrEqual(2);
      for (const record of events) {
        const { value } = await codec.decode<AlertEvent>(record.value);
        const opened = await openEvent(value, fresh.keyring);
        expect(opened.personal.encoding).toBe('ERASED');
        expect(JSON.stringify(opened)).not.toContain(marker);
      }
      const deliveries = scanned.kept.filter((r) => r.topic === topics.deliveries);
      expect(deliveries.length).toBeGreaterThanOrEqual(2);
      for (const record of deliveries) {
        const { value } = await codec.decode<Delivery>(record.value);
        const view = JSON.parse(value.alert ?? '{}') as SealedAlertView;
        expect(JSON.stringify(await openView(view, fresh.keyring))).not.toContain(marker);
      }
    } finally {
      await fresh.stop();
    }

    // Redis, every answer of the API, every line logged: nothing.
    const cached = await redisText(redisUrl);
    expect(cached).toContain(caseId);
    for (const value of personal) expect(cached).not.toContain(value);
    for (const who of [ids.originator, ids.operator, ids.hotline]) {
      const view = await viewOf(who, caseId);
      expect(view.status).toBe(200);
      expect(view.text).not.toContain(marker);
    }
    expect(JSON.stringify((await as(ids.hotline, 'GET', '/v1/inbox')).body)).not.toContain(marker);
    const logged = services.flatMap((s) => [s.stdout(), s.stderr()]).join('\n');
    expect(logged).toContain(caseId);
    for (const value of personal) expect(logged).not.toContain(value);

    // The trail keeps the case's metadata, the erasure included, and verifies with the
    // public key alone; its export holds nothing of the child.
    await trailWhen(caseId, 'the reads after the erasure in the trail', (t) =>
      t.some((e) => e.kind === 'PERSONAL_DATA_READ' && Date.parse(e.at) > resolvedAt),
    );
    const kafkaArgs = [
      '--brokers',
      testStack().kafkaBrokers.join(','),
      '--registry',
      testStack().schemaRegistryUrl,
      '--topic',
      topics.audit,
      '--checkpoints',
      topics.checkpoints,
    ];
    const publicKey = publicKeyToBase64(keysFromSeed(seed).publicKey);
    const verified = await waitFor(
      'a checkpoint after the erasure, verified',
      async () => {
        const answer = await auditCli(['verify', ...kafkaArgs, '--public-key', publicKey]);
        const size = /verified: (\d+) records/.exec(answer.out);
        return answer.code === 0 && size && Number(size[1]) >= trail.length ? answer : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    );
    expect(verified.code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'erasure-')), 'trail.jsonl');
    expect((await auditCli(['export', ...kafkaArgs, '--out', file])).code).toBe(0);
    const exported = readFileSync(file, 'utf8');
    expect(exported).toContain('"kind":"ERASED"');
    for (const value of personal) expect(exported).not.toContain(value);
  });

  it('lets an operator erase a case at once, recorded in the trail under the operator’s name; no one else may', async () => {
    const marker = `Oqvirna${randomBytes(4).toString('hex')}`;
    const caseId = await raise(marker);
    const path = `/v1/admin/cases/${caseId}/erasure`;
    expect((await as(ids.hotline, 'POST', path)).status).toBe(403);
    expect((await as(ids.auditor, 'POST', path)).status).toBe(403);
    expect((await as(ids.operator, 'POST', `/v1/admin/cases/${randomUUID()}/erasure`)).status).toBe(
      404,
    );
    expect((await as(ids.operator, 'POST', '/v1/admin/cases/not-a-case/erasure')).status).toBe(404);
    expect((await viewOf(ids.hotline, caseId)).text).toContain(marker);

    const erasure = await as(ids.operator, 'POST', path);
    expect(erasure.status).toBe(200);
    expect(erasure.body).toMatchObject({
      caseId,
      reason: 'OPERATOR',
      requestedBy: ids.operator,
      closedAt: null,
      keysDestroyed: 1,
    });
    // At once: the answer came after the keys were destroyed.
    for (const who of [ids.originator, ids.operator, ids.hotline]) {
      const view = await viewOf(who, caseId);
      expect(view.status).toBe(200);
      expect(view.text).not.toContain(marker);
    }
    // Again: a second erasure recorded, nothing left to destroy.
    const again = await as(ids.operator, 'POST', path);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ keysDestroyed: 0 });
    const trail = await trailWhen(
      caseId,
      'both erasures in the trail',
      (t) => t.filter((e) => e.kind === 'ERASED').length >= 2,
    );
    expect(trail.filter((e) => e.kind === 'ERASED').map((e) => [e.actor, e.detail.reason])).toEqual(
      [
        [ids.operator, 'OPERATOR'],
        [ids.operator, 'OPERATOR'],
      ],
    );
    expect(JSON.stringify(trail)).not.toContain(marker);
  });
});

function auditCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AUDIT_CLI, ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * Reads every topic of the broker (the internal `__` ones aside) from its start to the
 * end it had when asked, uncommitted records included, and names each record whose key,
 * value or headers hold one of `needles` (by its index); the records `keep` selects are returned too. A consumer group of its own commits as it
 * goes; the scan is done when the group's offsets reach every partition's end (so
 * transaction markers at a partition's end do not keep it waiting).
 */
async function scanEveryTopic(
  needles: Buffer[],
  keep: (topic: string, value: Buffer) => boolean,
): Promise<{
  topics: string[];
  hits: Array<{ topic: string; partition: number; offset: string; needle: number }>;
  kept: Array<{ topic: string; value: Buffer }>;
}> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const groupId = uniqueName('scan');
  const hits: Array<{ topic: string; partition: number; offset: string; needle: number }> = [];
  const kept: Array<{ topic: string; value: Buffer }> = [];
  const consumer = kafka.consumer({ groupId, readUncommitted: true });
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const ends = new Map<string, Map<number, bigint>>();
    for (const topic of topics) {
      const partitions = new Map<number, bigint>();
      for (const p of await admin.fetchTopicOffsets(topic))
        if (p.high !== p.low) partitions.set(p.partition, BigInt(p.high));
      if (partitions.size > 0) ends.set(topic, partitions);
    }
    const found = (bytes: Buffer | null | undefined): number[] =>
      bytes ? needles.flatMap((n, i) => (bytes.includes(n) ? [i] : [])) : [];
    await consumer.connect();
    await consumer.subscribe({ topics: [...ends.keys()], fromBeginning: true });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: ({ topic, partition, message }) => {
        const headers = Object.values(message.headers ?? {}).map((v) =>
          Buffer.isBuffer(v) ? v : Buffer.from(String(v)),
        );
        const inRecord = new Set(
          [message.key, message.value, ...headers].flatMap((bytes) => found(bytes)),
        );
        for (const needle of inRecord)
          hits.push({ topic, partition, offset: message.offset, needle });
        if (message.value && keep(topic, message.value)) kept.push({ topic, value: message.value });
        return Promise.resolve();
      },
    });
    await waitFor(
      'every topic read to its end',
      async () => {
        const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
        for (const { topic, partitions } of committed)
          for (const { partition, offset } of partitions) {
            const end = ends.get(topic)?.get(partition);
            if (end !== undefined && (offset === '-1' || BigInt(offset) < end)) return undefined;
          }
        return true;
      },
      { timeoutMs: 300_000, intervalMs: 1_000 },
    );
    return { topics: [...ends.keys()], hits, kept };
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
  }
}
