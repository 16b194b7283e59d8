import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  keysFromSeed,
  publicKeyFromBase64,
  publicKeyToBase64,
  verifyCheckpoint,
  proofReachesRoot,
  type CheckpointView,
  type InclusionProofBody,
  type TrailEntry,
} from '@alert-exchange/audit';
import {
  OtlpReceiver,
  readTopic,
  redisText,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import { call, example } from '../services/gateway/src/api-client.test-helper';
import { OPERATOR_KEY } from '../services/gateway/src/gateway-process.test-helper';
import {
  createPipeline,
  enrolOrganisation,
  startPipelineAudit,
  startPipelineGateway,
  startPipelineRouter,
} from './pipeline.test-helper';

/**
 * The whole delivery path with every service a real process: an alert published through
 * the gateway, routed by the router, pushed by the dispatcher to a webhook endpoint that
 * verifies it with the Standard Webhooks reference implementation, acknowledged through
 * the gateway; a dead letter listed and replayed through the gateway's admin API; and the
 * audit service's trail of it all, read by an auditor through the gateway. Directory,
 * deliveries and the rest are topics of this test's own, and Redis a database of its own;
 * the alert topics are the shared `alerts.<cc>`, so the organisations are in Liechtenstein
 * and Iceland, countries no other suite routes to.
 */
describe('the delivery pipeline', () => {
  let world: DispatchWorld;
  const services: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let hotlineUp = true;
  /** Pushes to the hotline answered 500 before it takes them again. */
  let hotlineFailures = 0;
  const seed = randomBytes(32).toString('base64');
  let redisUrl = '';
  const ids = {
    originator: uniqueName('ngo-is'),
    hotline: uniqueName('hotline-li'),
    operator: uniqueName('operator'),
    other: uniqueName('ngo-other'),
    auditor: uniqueName('auditor'),
  };
  const keys: Record<string, string> = {};
  const webhookSecrets: string[] = [];
  // Every service exports its spans to this in-process OTLP receiver, and logs at debug:
  // the tests read one trace across services, and search every line and span.
  let otlp: OtlpReceiver;
  let auditTopics: { audit: string; checkpoints: string };
  const telemetry = (): NodeJS.ProcessEnv => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    LOG_LEVEL: 'debug',
  });

  beforeAll(async () => {
    otlp = await OtlpReceiver.start();
    world = await DispatchWorld.create();
    const pipeline = await createPipeline(world, 5);
    const t = pipeline.topics;
    auditTopics = { audit: t.audit, checkpoints: t.checkpoints };
    redisUrl = pipeline.redisUrl;
    gateway = await startPipelineGateway(t, redisUrl, telemetry());
    services.push(gateway);
    const enrol = async (
      id: string,
      country: string,
      roles: string[],
      delivery: Record<string, string>,
    ): Promise<void> => {
      const enrolled = await enrolOrganisation(gateway.base, id, country, roles, delivery);
      if (enrolled.webhookSecret) world.receiver.trust(id, [enrolled.webhookSecret]);
      if (enrolled.webhookSecret) webhookSecrets.push(enrolled.webhookSecret);
      keys[id] = enrolled.key;
    };
    await enrol(ids.originator, 'IS', ['member-ngo'], { mode: 'pull' });
    await enrol(ids.hotline, 'LI', ['hotline'], {
      mode: 'webhook',
      url: world.receiver.url(ids.hotline),
    });
    await enrol(ids.operator, 'IS', ['operator'], { mode: 'pull' });
    await enrol(ids.other, 'IS', ['member-ngo'], { mode: 'pull' });
    await enrol(ids.auditor, 'IS', ['auditor'], { mode: 'pull' });
    world.receiver.behave(ids.hotline, () => {
      if (hotlineFailures > 0) {
        hotlineFailures--;
        return { status: 500 };
      }
      return { status: hotlineUp ? 204 : 503 };
    });

    services.push(await startPipelineRouter(t, telemetry()));
    services.push(await world.startDispatcher({ REDIS_URL: redisUrl, ...telemetry() }));
    services.push(await startPipelineAudit(t, redisUrl, seed, telemetry()));
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await world?.close();
    await otlp?.close();
  });

  /** Raises a case in Iceland with Liechtenstein as a suspected destination: its id. */
  const raise = async (body = example('raise-runaway.json')): Promise<string> =>
    (await raised(body)).caseId;
  /** The same, with the whole answer: caseId, eventId and the traceId of its trace. */
  const raised = async (
    body = example('raise-runaway.json'),
  ): Promise<{ caseId: string; eventId: string; traceId: string }> => {
    body.countries = {
      caseCountry: 'IS',
      lastSeenCountry: 'IS',
      suspectedDestinations: ['LI'],
      knownRoute: [],
    };
    const published = await call(gateway.base, keys[ids.originator], 'POST', '/v1/alerts', body);
    if (published.status !== 202)
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    return published.body as { caseId: string; eventId: string; traceId: string };
  };

  it('pushes a published alert to the destination hotline, signed; the hotline acknowledges it, and no one else may', async () => {
    const caseId = await raise();
    const pushed = await waitFor('the push to the hotline', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.body.caseId === caseId),
    );
    expect(pushed.body).toMatchObject({ caseId, eventType: 'RAISED', category: 'RUNAWAY' });
    expect(JSON.stringify(pushed.body.routing)).toContain('LI');

    const path = `/v1/deliveries/${pushed.deliveryId}/ack`;
    expect(
      (await call(gateway.base, keys[ids.other], 'POST', path, { status: 'RECEIVED' })).status,
    ).toBe(403);
    const ack = await call(gateway.base, keys[ids.hotline], 'POST', path, {
      status: 'ACTIONED',
      note: 'team sent',
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ deliveryId: pushed.deliveryId, status: 'ACTIONED' });
    // The same delivery is in the hotline's inbox too, for pulling.
    const inbox = await call(gateway.base, keys[ids.hotline], 'GET', '/v1/inbox');
    expect(
      (inbox.body as { deliveries: Array<{ deliveryId: string }> }).deliveries.map(
        (d) => d.deliveryId,
      ),
    ).toContain(pushed.deliveryId);
  });

  it('makes one trace of a published alert: the gateway request, the routing, and the webhook call, whose traceparent the recipient receives', async () => {
    hotlineUp = true;
    const { caseId, traceId } = await raised();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const pushed = await waitFor('the push', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.body.caseId === caseId),
    );
    expect(pushed.traceparent?.split('-')[1]).toBe(traceId);

    const spans = await waitFor(
      'spans of the gateway, the router and the dispatcher in the trace',
      () => {
        const found = otlp.spans().filter((s) => s.traceId === traceId);
        const services = new Set(found.map((s) => s.service));
        const call = found.find((s) => s.service === 'dispatcher' && s.name === 'webhook POST');
        return services.has('gateway') && services.has('router') && call ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // One tree: the gateway's server span is the root (the request came without a
    // traceparent), and every other span's parent is a span of the same trace.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = spans.filter((s) => !s.parentSpanId);
    expect(root.map((s) => [s.service, s.name, s.kind])).toEqual([
      ['gateway', 'POST /v1/alerts', 2],
    ]);
    const chainOf = (span: (typeof spans)[number]): string[] => {
      const names = [`${span.service}:${span.name}`];
      let parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      while (parent) {
        names.unshift(`${parent.service}:${parent.name}`);
        parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined;
      }
      return names;
    };
    const webhook = spans.find((s) => s.name === 'webhook POST')!;
    expect(chainOf(webhook)).toEqual([
      'gateway:POST /v1/alerts',
      'gateway:publish alerts.is',
      'router:route alerts.is',
      'dispatcher:webhook POST',
    ]);
    expect(webhook).toMatchObject({
      kind: 3,
      attributes: { 'http.response.status_code': 204, 'exchange.recipient_id': ids.hotline },
    });
    // The recipient was sent the webhook call's own span as parent.
    expect(pushed.traceparent?.split('-')[2]).toBe(webhook.spanId);
    // The log lines about it carry the trace: the gateway's publication, the router's
    // routing, the dispatcher's attempt.
    const lineOf = (service: ServiceProcess, message: string) =>
      service
        .stdout()
        .split('\n')
        .filter((l) => l.includes(message) && l.includes(caseId))
        .map((l) => JSON.parse(l) as { trace_id?: string; span_id?: string });
    await waitFor('the log lines', () =>
      services.every((p) => p.stdout().length > 0) ? true : undefined,
    );
    const [router, dispatcher] = [services[1]!, services[2]!];
    expect(lineOf(gateway, 'Alert event published')).toEqual([
      expect.objectContaining({
        trace_id: traceId,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      }),
    ]);
    expect(lineOf(router, 'Event routed')).toEqual([
      expect.objectContaining({ trace_id: traceId }),
    ]);
    expect(lineOf(dispatcher, 'Webhook attempt answered')).toContainEqual(
      expect.objectContaining({ trace_id: traceId, span_id: webhook.spanId }),
    );
  });

  it('dead-letters a push the hotline never takes, lists it for operators, tells them in their inbox, and a replay through the admin API delivers it', async () => {
    hotlineUp = false;
    const caseId = await raise();
    const dead = await waitFor(
      'the dead letter in the operators list',
      async () => {
        const listed = await call(
          gateway.base,
          keys[ids.operator],
          'GET',
          `/v1/admin/dead-letters?recipientId=${ids.hotline}`,
        );
        return (
          listed.body as {
            deadLetters: Array<{ caseId: string; deliveryId: string; lastError: string }>;
          }
        ).deadLetters.find((d) => d.caseId === caseId);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(dead.lastError).toBe('status=503');
    const notice = await waitFor('the escalation in the operator inbox', async () => {
      const inbox = await call(gateway.base, keys[ids.operator], 'GET', '/v1/inbox');
      return (inbox.body as { deliveries: Array<Record<string, unknown>> }).deliveries.find(
        (d) => d.eventType === 'ESCALATION' && d.caseId === caseId,
      );
    });
    expect(JSON.stringify(notice.routing)).toContain(`delivery=${dead.deliveryId}`);
    expect(notice.alert).toBeNull();

    hotlineUp = true;
    const replay = await call(
      gateway.base,
      keys[ids.operator],
      'POST',
      '/v1/admin/dead-letters/replay',
      {
        deliveryId: dead.deliveryId,
      },
    );
    expect(replay.status).toBe(202);
    await waitFor('the replayed push', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.deliveryId === dead.deliveryId),
    );
  });

  it("keeps the trail of a case, which an auditor reads through the gateway in order, verified against a signed checkpoint and without the child's data", async () => {
    const started = Date.now();
    const as = (who: string, method: string, path: string, body?: unknown) =>
      call(gateway.base, keys[who], method, path, body);
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
        { timeoutMs: 90_000, intervalMs: 300 },
      );
    const has =
      (kind: string, more: (e: TrailEntry) => boolean = () => true) =>
      (t: TrailEntry[]) =>
        t.some((e) => e.kind === kind && more(e));

    // Values no audit answer may contain: the child's names (made unique), what she looks
    // like, where she was seen, the notes of the sighting and the resolution.
    const marker = `Zyqvarth${randomBytes(4).toString('hex')}`;
    const body = example('raise-runaway.json');
    body.child.names = [{ given: marker, family: `${marker}ova`, script: 'Latn', lang: 'en' }];
    // Unique, so that other suites' cases (the same examples) cannot match them.
    body.child.descriptions[0].text = `tall, ${marker.toLowerCase()} coat`;
    body.lastSeen.place = `Station ${marker.toUpperCase()}`;
    const sighting = example('event-sighting-reported.json');
    sighting.sighting.country = 'LI';
    sighting.sighting.note = `${marker} seen alone`;
    const resolution = example('event-resolved.json');
    resolution.resolution.note = `${marker} returned home`;
    const personal = [
      marker,
      body.child.descriptions[0].text as string,
      body.lastSeen.place as string,
      body.originCaseReference as string,
      sighting.sighting.place as string,
    ];

    // Raised: the first push fails with a 500, the second is taken; the hotline reads the
    // case (its personal data) and acknowledges.
    hotlineUp = true;
    hotlineFailures = 1;
    const caseId = await raise(body);
    const first = await waitFor('the push', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.body.caseId === caseId),
    );
    const raisedEventId = first.body.eventId as string;
    // The hotline is given the child's data, opened; Kafka and Redis hold it only sealed
    // under the case's key (docs/PRIVACY.md).
    expect(JSON.stringify(first.body.alert)).toContain(marker);
    const ofCase = (records: Array<{ value: Buffer | null }>) =>
      records.filter((r) => r.value?.includes(caseId));
    const inKafka = [
      ...ofCase(await readTopic('alerts.is')),
      ...(await recordsHolding(world.topics.deliveries, caseId)),
    ];
    expect(inKafka.length).toBeGreaterThanOrEqual(2);
    // The personal class (names, description, last-seen place): restricted fields such as
    // the origin case reference travel in the clear by design (docs/SCHEMAS.md).
    const personalClass = personal.slice(0, 3);
    for (const r of inKafka)
      for (const value of personalClass) expect(r.value!.includes(value)).toBe(false);
    const cached = await redisText(redisUrl);
    expect(cached).toContain(caseId);
    for (const value of personalClass) expect(cached).not.toContain(value);
    await trailWhen(caseId, 'the push in the trail', has('DELIVERED'));
    expect((await as(ids.hotline, 'GET', `/v1/alerts/${caseId}`)).status).toBe(200);
    await trailWhen(caseId, 'the read in the trail', has('PERSONAL_DATA_READ'));
    const ack = await as(ids.hotline, 'POST', `/v1/deliveries/${first.deliveryId}/ack`, {
      status: 'RECEIVED',
    });
    expect(ack.status).toBe(200);
    await trailWhen(caseId, 'the acknowledgement in the trail', has('ACKNOWLEDGED'));

    // A sighting while the hotline is down: dead-lettered, escalated to the operators,
    // replayed by one of them, delivered.
    hotlineUp = false;
    expect((await as(ids.originator, 'POST', `/v1/alerts/${caseId}/events`, sighting)).status).toBe(
      202,
    );
    const withDead = await trailWhen(
      caseId,
      'the dead letter and its escalation',
      (t) => has('DEAD_LETTERED')(t) && has('ESCALATED')(t),
    );
    const deadId = withDead.find((e) => e.kind === 'DEAD_LETTERED')!.deliveryId!;
    hotlineUp = true;
    const replay = await as(ids.operator, 'POST', '/v1/admin/dead-letters/replay', {
      deliveryId: deadId,
    });
    expect(replay.status).toBe(202);
    await trailWhen(
      caseId,
      'the replayed delivery',
      has('DELIVERED', (e) => e.deliveryId === deadId),
    );

    // Resolved, and the resolution delivered.
    expect(
      (await as(ids.originator, 'POST', `/v1/alerts/${caseId}/events`, resolution)).status,
    ).toBe(202);
    const trail = await trailWhen(
      caseId,
      'the resolution delivered',
      (t) =>
        has('RESOLVED')(t) &&
        t.filter((e) => e.kind === 'DELIVERED' && e.recipient === ids.hotline).length >= 3,
    );

    // In trail order, each fact once; and in the order things happened: each milestone
    // below is found at or after the time of the one before it.
    const seqs = trail.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    const milestones = [
      'RECEIVED',
      'PUBLISHED',
      'ROUTED',
      'ATTEMPTED',
      'DELIVERED',
      'PERSONAL_DATA_READ',
      'ACKNOWLEDGED',
      'RECEIVED',
      'PUBLISHED',
      'ROUTED',
      'ATTEMPTED',
      'DEAD_LETTERED',
      'ESCALATED',
      'REPLAYED',
      'DELIVERED',
      'RECEIVED',
      'RESOLVED',
      'ROUTED',
      'DELIVERED',
    ];
    const byTime = [...trail].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
    const used = new Set<number>();
    let after = 0;
    const found = milestones.map((kind) => {
      const entry = byTime.find(
        (e) => e.kind === kind && !used.has(e.seq) && Date.parse(e.at) >= after,
      );
      if (!entry) return `${kind}: missing after ${new Date(after).toISOString()}`;
      used.add(entry.seq);
      after = Date.parse(entry.at);
      return kind;
    });
    expect(found).toEqual(milestones);
    // Who and why: the hotline was routed to by the destination rule, pushed to with the
    // 500 recorded, read the case, and acknowledged; the operator replayed.
    const hotline = trail.filter((e) => e.recipient === ids.hotline);
    expect(hotline.find((e) => e.kind === 'ROUTED')!.detail.reasons).toContain('LI');
    expect(hotline.find((e) => e.kind === 'ATTEMPTED')!.detail.httpStatus).toBe('500');
    expect(hotline.find((e) => e.kind === 'PERSONAL_DATA_READ')).toMatchObject({
      actor: ids.hotline,
      detail: { via: 'CASE_VIEW' },
    });
    expect(trail.find((e) => e.kind === 'ACKNOWLEDGED')).toMatchObject({
      actor: ids.hotline,
      deliveryId: first.deliveryId,
    });
    expect(trail.find((e) => e.kind === 'REPLAYED')!.actor).toBe(ids.operator);
    // The facts of the first event, its acknowledgement included, are of one trace.
    const raisedTrace = trail.find((e) => e.kind === 'RECEIVED')!.traceId;
    expect(raisedTrace).toMatch(/^[0-9a-f]{32}$/);
    const ofFirst = trail.filter(
      (e) =>
        e.deliveryId === first.deliveryId ||
        (e.kind === 'ROUTED' && e.recipient === ids.hotline && e.eventId === raisedEventId),
    );
    expect(ofFirst.map((e) => [e.kind, e.traceId])).toEqual(
      expect.arrayContaining([
        ['ROUTED', raisedTrace],
        ['ATTEMPTED', raisedTrace],
        ['DELIVERED', raisedTrace],
        ['ACKNOWLEDGED', raisedTrace],
      ]),
    );
    expect(trail.find((e) => e.kind === 'RECEIVED')!.actor).toBe(ids.originator);

    // The same trail as CSV, one row per entry.
    const csv = await fetch(`${gateway.base}/v1/audit/cases/${caseId}?format=csv`, {
      headers: { authorization: `Bearer ${keys[ids.auditor]}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const csvText = await csv.text();
    expect(csvText.trim().split('\r\n')).toHaveLength(trail.length + 1);

    // A proof of the acknowledgement against the latest checkpoint, whose signature
    // verifies with the public key the auditor was given (not the one in the answer).
    const trusted = publicKeyToBase64(keysFromSeed(seed).publicKey);
    const acked = trail.find((e) => e.kind === 'ACKNOWLEDGED')!;
    const proof = await waitFor('a checkpoint covering the acknowledgement', async () => {
      const answer = await as(ids.auditor, 'GET', `/v1/audit/records/${acked.seq}/proof`);
      return answer.status === 200 ? (answer.body as InclusionProofBody) : undefined;
    });
    const checkpoint: CheckpointView = proof.checkpoint;
    expect(checkpoint.publicKey).toBe(trusted);
    expect(verifyCheckpoint(checkpoint, checkpoint.signature, publicKeyFromBase64(trusted))).toBe(
      true,
    );
    const leaf = Buffer.from(proof.canonicalRecord, 'base64');
    expect(JSON.parse(leaf.toString('utf8'))).toMatchObject({
      seq: acked.seq,
      kind: 'ACKNOWLEDGED',
    });
    expect(proofReachesRoot(proof, checkpoint)).toBe(true);
    const latest = await as(ids.auditor, 'GET', '/v1/audit/checkpoints/latest');
    expect(latest.status).toBe(200);
    expect((latest.body as CheckpointView).treeSize).toBeGreaterThanOrEqual(checkpoint.treeSize);

    // The sighting's delivery was never acknowledged; the first one was.
    const unacknowledged = await as(
      ids.auditor,
      'GET',
      '/v1/audit/deliveries?state=unacknowledged&olderThan=PT0S',
    );
    const open = (unacknowledged.body as { deliveries: Array<{ deliveryId: string }> }).deliveries;
    expect(open.map((d) => d.deliveryId)).toContain(deadId);
    expect(open.map((d) => d.deliveryId)).not.toContain(first.deliveryId);

    // Completeness of the test's window: every event of the case was routed, and every
    // push to the hotline reached it.
    const from = new Date(started - 1_000).toISOString();
    const to = new Date(Date.now() + 1_000).toISOString();
    const report = await as(ids.auditor, 'GET', `/v1/audit/completeness?from=${from}&to=${to}`);
    expect(report.status).toBe(200);
    const { events, deliveries } = report.body as {
      events: { published: number; exceptions: Array<{ caseId: string }> };
      deliveries: { delivered: number; exceptions: Array<{ caseId: string; recipient: string }> };
    };
    expect(events.published).toBeGreaterThanOrEqual(3);
    expect(events.exceptions.filter((e) => e.caseId === caseId)).toEqual([]);
    expect(deliveries.delivered).toBeGreaterThanOrEqual(3);
    expect(
      deliveries.exceptions.filter((d) => d.caseId === caseId && d.recipient === ids.hotline),
    ).toEqual([]);

    // A withdrawn case has its own trail.
    const withdrawnId = await raise();
    expect(
      (
        await as(
          ids.originator,
          'POST',
          `/v1/alerts/${withdrawnId}/events`,
          example('event-withdrawn.json'),
        )
      ).status,
    ).toBe(202);
    await trailWhen(withdrawnId, 'the withdrawal in the trail', has('WITHDRAWN'));

    // Nothing an auditor was shown holds the child's data; the same case as the hotline
    // saw it does (so the search can find it).
    const shown = [
      JSON.stringify(await trailOf(caseId)),
      csvText,
      JSON.stringify(proof),
      leaf.toString('utf8'),
      JSON.stringify(unacknowledged.body),
      JSON.stringify(report.body),
    ].join('\n');
    expect(JSON.stringify((await as(ids.hotline, 'GET', `/v1/alerts/${caseId}`)).body)).toContain(
      marker,
    );
    for (const value of personal) expect(shown).not.toContain(value);
    // Nor does any line a service logged (at debug) or any span it exported.
    await waitFor('the spans of the resolution', () =>
      otlp.spans().some((s) => s.name === 'webhook POST' && s.service === 'dispatcher')
        ? true
        : undefined,
    );
    const written = [...services.flatMap((p) => [p.stdout(), p.stderr()]), ...otlp.bodies].join(
      '\n',
    );
    expect(written.length).toBeGreaterThan(10_000);
    expect(written).toContain(caseId);
    for (const value of personal) expect(written).not.toContain(value);
    // Nor any secret: API keys (their secret part too), webhook signing secrets, the
    // operator key, the audit signing seed.
    const secrets = [
      ...Object.values(keys).flatMap((key) => [key, key.slice('axk_'.length + 17)]),
      ...webhookSecrets.flatMap((secret) => [secret, secret.replace(/^whsec_/, '')]),
      OPERATOR_KEY,
      seed,
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(13);
    for (const secret of secrets) expect(written).not.toContain(secret);
    // The other roles are not auditors.
    expect((await as(ids.hotline, 'GET', `/v1/audit/cases/${caseId}`)).status).toBe(403);
  });

  it('is operated with the exchange command line: publish, trace, unacknowledged, dead letters and their replay, the directory, and the offline audit verification', async () => {
    const CLI = join(__dirname, '..', 'services', 'cli', 'dist', 'cli.js');
    const exchange = (who: string | undefined, ...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile(
          process.execPath,
          [CLI, ...args],
          {
            timeout: 150_000,
            env: {
              PATH: process.env.PATH,
              EXCHANGE_URL: gateway.base,
              ...(who ? { EXCHANGE_API_KEY: who } : {}),
            },
          },
          (error, stdout, stderr) => {
            const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
            resolve({ code, out: stdout, err: stderr });
          },
        );
      });
    const json = <T>(answer: { code: number; out: string; err: string }): T => {
      if (answer.code !== 0) throw new Error(`exchange exited ${answer.code}: ${answer.err}`);
      return JSON.parse(answer.out) as T;
    };
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'raise.json');
    const body = example('raise-runaway.json');
    body.countries = {
      caseCountry: 'IS',
      lastSeenCountry: 'IS',
      suspectedDestinations: ['LI'],
      knownRoute: [],
    };
    writeFileSync(file, JSON.stringify(body));

    // Publish from a file, as the originator; the push reaches the hotline.
    hotlineUp = true;
    expect(await exchange(keys[ids.originator], 'publish', file)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^published: case [0-9a-f-]{36}, event /),
    });
    const { caseId } = json<{ caseId: string }>(
      await exchange(keys[ids.originator], '--json', 'publish', file),
    );
    const pushed = await waitFor('the push', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.body.caseId === caseId),
    );

    // The auditor traces the case: the timeline shows the routing and the push.
    const traced = await waitFor('the delivery in the trace', async () => {
      const answer = await exchange(keys[ids.auditor], 'trace', caseId);
      return answer.out.includes('DELIVERED') ? answer : undefined;
    });
    expect(traced.out).toMatch(/RECEIVED\s+ngo-is/);
    expect(traced.out).toContain(`→ ${ids.hotline} at`);
    expect(traced.out).toContain(`[delivery ${pushed.deliveryId}]`);
    const open = await exchange(keys[ids.auditor], 'unacknowledged', '--older-than', 'PT0S');
    expect(open.code).toBe(0);
    expect(open.out).toContain(pushed.deliveryId);
    expect(open.out).toMatch(/\d+ unacknowledged/);

    // A dead letter, listed and replayed with progress until it has left the list.
    hotlineUp = false;
    const { caseId: deadCase } = json<{ caseId: string }>(
      await exchange(keys[ids.originator], '--json', 'publish', file),
    );
    const dead = await waitFor(
      'the dead letter in the list',
      async () => {
        const letters = json<Array<{ caseId: string; deliveryId: string }>>(
          await exchange(
            keys[ids.operator],
            '--json',
            'dead-letters',
            'list',
            '--recipient',
            ids.hotline,
          ),
        );
        return letters.find((l) => l.caseId === deadCase);
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect((await exchange(keys[ids.operator], 'dead-letters', 'list')).out).toContain(
      dead.deliveryId,
    );
    hotlineUp = true;
    expect(
      await exchange(keys[ids.operator], 'dead-letters', 'replay', '--delivery', dead.deliveryId),
    ).toMatchObject({ code: 0, out: expect.stringContaining('1 of 1 dead letters sent again') });
    await waitFor('the replayed push', () =>
      world.receiver.delivered(ids.hotline).find((r) => r.deliveryId === dead.deliveryId),
    );

    // The directory, as an operator.
    const directory = await exchange(keys[ids.operator], 'directory');
    expect(directory.out).toMatch(
      new RegExp(`${ids.hotline}\\s+LI\\s+hotline\\s+webhook\\s+PT3600S`),
    );
    expect(
      json<{ id: string }>(await exchange(keys[ids.operator], '--json', 'directory', ids.hotline)),
    ).toMatchObject({ id: ids.hotline });

    // The offline verification of the audit trail, with the public key alone.
    const verified = await exchange(
      undefined,
      'audit',
      'verify',
      '--brokers',
      testStack().kafkaBrokers.join(','),
      '--registry',
      testStack().schemaRegistryUrl,
      '--topic',
      auditTopics.audit,
      '--checkpoints',
      auditTopics.checkpoints,
      '--public-key',
      publicKeyToBase64(keysFromSeed(seed).publicKey),
    );
    expect(verified).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^verified: \d+ records/),
    });

    // Refusals are plain: no key; a hotline asking for the operators' list.
    expect(await exchange(undefined, 'directory')).toMatchObject({
      code: 2,
      err: expect.stringContaining('EXCHANGE_API_KEY'),
    });
    const refused = await exchange(keys[ids.hotline], 'dead-letters', 'list');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^exchange: /);
  });
});

/**
 * The committed records of `topic` (one transactions write, so its end cannot be waited
 * for) holding `needle`, read from the start until at least one is found.
 */
async function recordsHolding(topic: string, needle: string): Promise<Array<{ value: Buffer }>> {
  const found: Array<{ value: Buffer }> = [];
  const consumer = testKafka().consumer({ groupId: uniqueName('scan'), readUncommitted: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (message.value?.includes(needle)) found.push({ value: message.value });
        return Promise.resolve();
      },
    });
    await waitFor(`a record of ${topic} holding ${needle}`, () =>
      found.length ? true : undefined,
    );
    return found;
  } finally {
    await consumer.disconnect();
  }
}
