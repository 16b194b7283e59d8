import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  ExchangeClient,
  InvalidRequestError,
  NotFoundError,
  webhookMiddleware,
  type CaseInput,
  type Delivery,
  type RoutedCaseView,
} from '@alert-exchange/client';
import { uniqueName, waitFor, type ServiceProcess } from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import { example } from '../services/gateway/src/api-client.test-helper';
import { OPERATOR_KEY } from '../services/gateway/src/gateway-process.test-helper';
import {
  createPipeline,
  enrolOrganisation,
  startPipelineAudit,
  startPipelineGateway,
  startPipelineRouter,
} from './pipeline.test-helper';

/**
 * The client SDK against a running exchange: a gateway, a router and a dispatcher as real
 * processes with topics of this test's own. A member NGO of Malta publishes; the 116 000
 * hotline of Cyprus (a suspected destination) pulls by long poll and by stream; the
 * member NGO of Cyprus receives the push through the SDK's express middleware. Malta and
 * Cyprus are countries no other suite publishes to.
 */
describe('the client SDK against a running exchange', () => {
  let world: DispatchWorld;
  const services: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let receiver: Server;
  const pushed: Delivery[] = [];
  const ids = {
    originator: uniqueName('ngo-mt'),
    hotline: uniqueName('hotline-cy'),
    webhookNgo: uniqueName('ngo-cy'),
    auditor: uniqueName('auditor'),
  };
  const clients: Record<string, ExchangeClient> = {};
  let secret = '';

  beforeAll(async () => {
    world = await DispatchWorld.create();
    const { topics, redisUrl } = await createPipeline(world, 6);

    // The member NGO of Cyprus's endpoint: an express app with the SDK's middleware.
    const app = express();
    app.post(
      '/alert-exchange/webhook',
      webhookMiddleware({
        secretsFor: () => [secret],
        onDelivery: (delivery) => void pushed.push(delivery),
      }),
    );
    receiver = app.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alert-exchange/webhook`;

    gateway = await startPipelineGateway(topics, redisUrl);
    services.push(gateway);
    const enrol = async (
      id: string,
      country: string,
      roles: string[],
      delivery: Record<string, string>,
    ): Promise<void> => {
      const enrolled = await enrolOrganisation(gateway.base, id, country, roles, delivery);
      secret = enrolled.webhookSecret ?? secret;
      clients[id] = new ExchangeClient({ baseUrl: gateway.base, apiKey: enrolled.key });
    };
    await enrol(ids.originator, 'MT', ['member-ngo'], { mode: 'pull' });
    await enrol(ids.hotline, 'CY', ['hotline'], { mode: 'pull' });
    await enrol(ids.webhookNgo, 'CY', ['member-ngo'], { mode: 'webhook', url: hookUrl });
    await enrol(ids.auditor, 'MT', ['auditor'], { mode: 'pull' });

    services.push(await startPipelineRouter(topics));
    services.push(await world.startDispatcher({ REDIS_URL: redisUrl }));
    services.push(await startPipelineAudit(topics, redisUrl, randomBytes(32).toString('base64')));
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await world?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const originator = () => clients[ids.originator]!;
  const hotline = () => clients[ids.hotline]!;
  const operator = () => new ExchangeClient({ baseUrl: gateway.base, apiKey: OPERATOR_KEY });
  /** A runaway case of Malta with Cyprus as a suspected destination. */
  const maltaCase = (): CaseInput => {
    const body = example('raise-runaway.json') as CaseInput;
    body.originCaseReference = uniqueName('MT-REF');
    body.countries = {
      caseCountry: 'MT',
      lastSeenCountry: 'MT',
      suspectedDestinations: ['CY'],
      knownRoute: [],
    };
    return body;
  };
  let caseId = '';

  it('a publication sent again with its Idempotency-Key raises one case, and its originator reads it', async () => {
    const body = maltaCase();
    const key = randomUUID();
    const first = await originator().publishAlert(body, { idempotencyKey: key });
    const again = await originator().publishAlert(body, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
    caseId = first.caseId;

    const read = await originator().getCase(caseId);
    expect(read).toMatchObject({
      caseId,
      status: 'OPEN',
      originatingOrganisation: ids.originator,
      case: { originCaseReference: body.originCaseReference },
    });
  });

  it('errors carry the problem: a bad field is named, an unknown case is NotFoundError', async () => {
    const bad = maltaCase();
    bad.child.ageYears = 40;
    const error = await originator()
      .publishAlert(bad)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).errors).toContainEqual(
      expect.objectContaining({ path: '/child/ageYears' }),
    );
    await expect(originator().getCase(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the hotline pulls the delivery by long poll, reads the case as routed to it, and acknowledges it once', async () => {
    let after: string | undefined;
    const delivery = await waitFor('the delivery in the hotline inbox', async () => {
      const page = await hotline().inbox({ after, wait: 5 });
      after = page.next ?? after;
      return page.deliveries.find((d) => d.caseId === caseId);
    });
    expect(delivery).toMatchObject({ caseId, eventType: 'RAISED', category: 'RUNAWAY' });
    const routed = (await hotline().getCase(caseId)) as RoutedCaseView;
    expect(routed.viewLevel).toEqual(expect.any(String));

    const ack = await hotline().acknowledge(delivery.deliveryId, { status: 'RECEIVED' });
    expect(ack).toMatchObject({ deliveryId: delivery.deliveryId, status: 'RECEIVED' });
    const again = await hotline().acknowledge(delivery.deliveryId, { status: 'RECEIVED' });
    expect(again.ackId).toBe(ack.ackId);
  });

  it('the stream gives the deliveries in order and resumes after a cursor', async () => {
    const stop = new AbortController();
    let cursor = '';
    for await (const { cursor: at, delivery } of hotline().stream({ signal: stop.signal })) {
      if (delivery.caseId === caseId) {
        cursor = at;
        break;
      }
    }
    expect(cursor).toMatch(/^\d+-\d+$/);

    await originator().publishEvent(caseId, {
      type: 'SIGHTING_REPORTED',
      occurredAt: new Date().toISOString(),
      sighting: { at: new Date().toISOString(), country: 'CY', place: 'Larnaca port' },
    });
    const next = await (async () => {
      for await (const { delivery } of hotline().stream({ after: cursor }))
        if (delivery.caseId === caseId) return delivery;
      return undefined;
    })();
    expect(next).toMatchObject({ caseId, eventType: 'SIGHTING_REPORTED' });
  });

  it("the member NGO's express middleware receives the dispatcher's signed push once, and the NGO acknowledges it", async () => {
    const delivery = await waitFor('the push to the member NGO of Cyprus', () =>
      pushed.find((d) => d.caseId === caseId && d.eventType === 'RAISED'),
    );
    expect(pushed.filter((d) => d.deliveryId === delivery.deliveryId)).toHaveLength(1);
    const ack = await clients[ids.webhookNgo]!.acknowledge(delivery.deliveryId, {
      status: 'ACTIONED',
      note: 'Our Limassol office is on it',
    });
    expect(ack).toMatchObject({ status: 'ACTIONED', note: 'Our Limassol office is on it' });
  });

  it('an operator reads the directory and the dead letters', async () => {
    const organisations = await operator().organisations();
    expect(organisations.map((o) => o.id)).toEqual(
      expect.arrayContaining([ids.originator, ids.hotline, ids.webhookNgo]),
    );
    expect(await operator().organisation(ids.hotline)).toMatchObject({
      id: ids.hotline,
      roles: ['hotline'],
      delivery: { mode: 'pull' },
    });
    expect(Array.isArray(await operator().deadLetters({ recipientId: ids.webhookNgo }))).toBe(true);
  });

  it("an auditor reads the case's trail, the unacknowledged deliveries and the latest checkpoint; an operator's replay of nothing asks for nothing", async () => {
    const auditor = clients[ids.auditor]!;
    // The audit service started last: it catches up on the case's facts in its own time.
    const kinds = ['PUBLISHED', 'ROUTED', 'ACKNOWLEDGED'];
    const trail = await waitFor(
      "the case's publication, routing and acknowledgement in its trail",
      async () => {
        const found = await auditor.caseTrail(caseId);
        return kinds.every((k) => found.entries.some((e) => e.kind === k)) ? found : undefined;
      },
    );
    expect(trail.caseId).toBe(caseId);
    const unacknowledged = await auditor.unacknowledged('PT0S');
    expect(Array.isArray(unacknowledged)).toBe(true);
    const checkpoint = await waitFor('a signed checkpoint', () => auditor.latestCheckpoint());
    expect(checkpoint.treeSize).toBeGreaterThan(0);
    expect(checkpoint.rootHash).toMatch(/^[0-9a-f]{64}$/);

    const replay = await operator().replayDeadLetters({ recipientId: ids.webhookNgo });
    expect(replay).toEqual({ requestId: expect.any(String), deliveryIds: [] });
  });
});
