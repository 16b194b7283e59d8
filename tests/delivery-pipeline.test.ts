import { join } from 'node:path';
import {
  createTopics,
  startReadyService,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';
import { call, example } from '../services/gateway/src/api-client.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
} from '../services/gateway/src/gateway-process.test-helper';

const main = (service: string) => join(__dirname, '..', 'services', service, 'dist', 'main.js');

/**
 * The whole delivery path with every service a real process: an alert published through
 * the gateway, routed by the router, pushed by the dispatcher to a webhook endpoint that
 * verifies it with the Standard Webhooks reference implementation, acknowledged through
 * the gateway; and a dead letter listed and replayed through the gateway's admin API.
 * Directory, deliveries and the rest are topics of this test's own; the alert topics
 * are the shared `alerts.<cc>`, so the organisations are in Liechtenstein and Iceland,
 * countries no other suite routes to.
 */
describe('the delivery pipeline', () => {
  let world: DispatchWorld;
  const services: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let hotlineUp = true;
  const ids = {
    originator: uniqueName('ngo-is'),
    hotline: uniqueName('hotline-li'),
    operator: uniqueName('operator'),
    other: uniqueName('ngo-other'),
  };
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    world = await DispatchWorld.create();
    const t = world.topics;
    const more = {
      keys: `${world.name}.api-keys`,
      state: `${world.name}.case-state`,
      routingRecords: `${world.name}.routing-records`,
    };
    const compact = [{ name: 'cleanup.policy', value: 'compact' }];
    await createTopics(world.kafka, [
      { topic: more.keys, numPartitions: 1, configEntries: compact },
      { topic: more.state, numPartitions: 6, configEntries: compact },
      { topic: more.routingRecords, numPartitions: 6 },
    ]);
    gateway = await startReadyGateway({
      DIRECTORY_TOPIC: t.directory,
      KEYS_TOPIC: more.keys,
      WEBHOOK_SECRETS_TOPIC: t.secrets,
      ROUTING_RECORDS_TOPIC: more.routingRecords,
      DELIVERIES_TOPIC: t.deliveries,
      ACKNOWLEDGEMENTS_TOPIC: t.acknowledgements,
      DELIVERY_COMMANDS_TOPIC: t.commands,
    });
    services.push(gateway);
    const enrol = async (
      id: string,
      country: string,
      roles: string[],
      delivery: Record<string, string>,
    ): Promise<void> => {
      const created = await call(gateway.base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
        id,
        name: `${id} (test)`,
        country,
        roles,
        coverage: { countries: [country], categories: [] },
        languages: ['en'],
        delivery,
        ackWithin: 'PT1H',
      });
      if (created.status !== 201)
        throw new Error(`enrol ${id}: ${created.status} ${JSON.stringify(created.body)}`);
      if (delivery.mode === 'webhook')
        world.receiver.trust(id, [
          (created.body as { webhookSecret: { secret: string } }).webhookSecret.secret,
        ]);
      const issued = await call(
        gateway.base,
        OPERATOR_KEY,
        'POST',
        `/v1/admin/organisations/${id}/keys`,
      );
      keys[id] = (issued.body as { key: string }).key;
    };
    await enrol(ids.originator, 'IS', ['member-ngo'], { mode: 'pull' });
    await enrol(ids.hotline, 'LI', ['hotline'], {
      mode: 'webhook',
      url: world.receiver.url(ids.hotline),
    });
    await enrol(ids.operator, 'IS', ['operator'], { mode: 'pull' });
    await enrol(ids.other, 'IS', ['member-ngo'], { mode: 'pull' });
    world.receiver.behave(ids.hotline, () => ({ status: hotlineUp ? 204 : 503 }));

    services.push(
      await startReadyService(main('router'), {
        ROUTER_GROUP: uniqueName('pipeline-router'),
        DIRECTORY_TOPIC: t.directory,
        ROUTER_STATE_TOPIC: more.state,
        DELIVERIES_TOPIC: t.deliveries,
        ROUTING_RECORDS_TOPIC: more.routingRecords,
      }),
    );
    services.push(await world.startDispatcher());
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await world?.close();
  });

  /** Raises a case in Iceland with Liechtenstein as a suspected destination. */
  const raise = async (): Promise<string> => {
    const body = example('raise-runaway.json');
    body.countries = {
      caseCountry: 'IS',
      lastSeenCountry: 'IS',
      suspectedDestinations: ['LI'],
      knownRoute: [],
    };
    const published = await call(gateway.base, keys[ids.originator], 'POST', '/v1/alerts', body);
    if (published.status !== 202)
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    return (published.body as { caseId: string }).caseId;
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
});
