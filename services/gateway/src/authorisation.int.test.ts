import { randomUUID } from 'node:crypto';
import { AuditIndex } from '@alert-exchange/audit';
import { createRedis, silentLogger } from '@alert-exchange/platform';
import { testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import { call, enrol, example, type Answer, type Member } from './api-client.test-helper';
import { DeliveryWriter, testDelivery } from './delivery.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';
import { openApiDocument } from './http/openapi';

/** A checkpoint for the audit routes to show: well formed, signed by no one in particular. */
const SOME_CHECKPOINT = {
  treeSize: 1,
  rootHash: '00'.repeat(32),
  timestamp: 0,
  signature: 'AA=='.padStart(88, 'A'),
  publicKey: 'AA=='.padStart(44, 'A'),
};

/**
 * Every /v1 route of the gateway called as every kind of caller, against the contract's
 * "Identity and roles" and each route's section: the status each caller gets, and 401
 * for every route without a valid key.
 */

type Caller =
  | 'bootstrap-operator'
  | 'operator'
  | 'auditor'
  | 'originator'
  | 'other-ngo'
  | 'hotline'
  | 'mediator';
const CALLERS: readonly Caller[] = [
  'bootstrap-operator',
  'operator',
  'auditor',
  'originator',
  'other-ngo',
  'hotline',
  'mediator',
];

/** One call ready to be made: the concrete path and body. */
interface Prepared {
  readonly path: string;
  readonly body?: unknown;
}

interface Operation {
  /** `METHOD /path/{param}` as in the OpenAPI document. */
  readonly route: string;
  /** The status each caller gets; callers not named get `otherwise`. */
  readonly allowed: Partial<Record<Caller, number>>;
  readonly otherwise: number;
  /** Creates what the call needs (as the bootstrap operator) for `caller`. */
  readonly prepare: (caller: { key: string }) => Promise<Prepared>;
  /** An endless answer (Server-Sent Events): only its status and headers are read. */
  readonly stream?: true;
}

/** GETs `path` and stops reading once the status is known, unless it is a problem. */
async function openStream(base: string, key: string, path: string): Promise<Answer> {
  const controller = new AbortController();
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  if (response.ok) {
    controller.abort();
    return { status: response.status, headers: response.headers, body: undefined };
  }
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('authorisation: every route × every caller', () => {
  let gateway: GatewayProcess;
  // The gateway's Redis, where the audit service would keep its index.
  const redis = createRedis(testStack().redisUrl, silentLogger());
  const auditIndex = new AuditIndex(redis);
  let base: string;
  let members: Record<Exclude<Caller, 'bootstrap-operator'>, Member>;
  let caseId: string;
  /** A delivery to the hotline, in its inbox. */
  let deliveryId: string;

  const admin = (method: string, path: string, body?: unknown) =>
    call(base, OPERATOR_KEY, method, path, body);

  /** A fresh organisation to act on; a webhook one comes with its first signing secret. */
  async function target(mode: 'pull' | 'webhook' = 'pull') {
    const id = uniqueName('target');
    const created = await admin('POST', '/v1/admin/organisations', {
      id,
      name: 'Target (test)',
      country: 'BE',
      roles: ['member-ngo'],
      coverage: { countries: ['BE'], categories: [] },
      languages: ['nl', 'fr'],
      delivery: mode === 'pull' ? { mode } : { mode, url: 'https://ngo.example.org/alerts' },
      ackWithin: 'PT15M',
    });
    expect(created.status).toBe(201);
    return { id, secretId: created.body.webhookSecret?.secretId as string | undefined };
  }

  const newOrganisation = () => ({
    id: uniqueName('created'),
    name: 'Created (test)',
    country: 'LU',
    roles: ['hotline'],
    coverage: { countries: ['LU'], categories: [] },
    languages: ['lb', 'fr'],
    delivery: { mode: 'pull' },
    ackWithin: 'PT10M',
  });

  const only = (status: number, ...callers: Caller[]) =>
    Object.fromEntries(callers.map((c) => [c, status])) as Partial<Record<Caller, number>>;
  const byOperators = (status: number) => only(status, 'bootstrap-operator', 'operator');
  const byAuditors = (status: number) => only(status, 'bootstrap-operator', 'operator', 'auditor');
  const subscribers: Caller[] = ['operator', 'originator', 'other-ngo', 'hotline', 'mediator'];
  const organisations: Caller[] = [...subscribers, 'auditor'];

  const operations: Operation[] = [
    {
      route: 'POST /v1/admin/organisations',
      allowed: byOperators(201),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/admin/organisations', body: newOrganisation() }),
    },
    {
      route: 'GET /v1/admin/organisations',
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/admin/organisations' }),
    },
    {
      route: 'GET /v1/admin/organisations/{id}',
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => ({ path: `/v1/admin/organisations/${(await target()).id}` }),
    },
    {
      route: 'PATCH /v1/admin/organisations/{id}',
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => ({
        path: `/v1/admin/organisations/${(await target()).id}`,
        body: { name: 'Renamed (test)' },
      }),
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}',
      allowed: byOperators(204),
      otherwise: 403,
      prepare: async () => ({ path: `/v1/admin/organisations/${(await target()).id}` }),
    },
    {
      route: 'POST /v1/admin/organisations/{id}/keys',
      allowed: byOperators(201),
      otherwise: 403,
      prepare: async () => ({ path: `/v1/admin/organisations/${(await target()).id}/keys` }),
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}/keys/{keyId}',
      allowed: byOperators(204),
      otherwise: 403,
      prepare: async () => {
        const { id } = await target();
        const issued = await admin('POST', `/v1/admin/organisations/${id}/keys`);
        return { path: `/v1/admin/organisations/${id}/keys/${issued.body.keyId}` };
      },
    },
    {
      route: 'GET /v1/admin/organisations/{id}/webhook-secrets',
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => ({
        path: `/v1/admin/organisations/${(await target('webhook')).id}/webhook-secrets`,
      }),
    },
    {
      route: 'POST /v1/admin/organisations/{id}/webhook-secrets',
      allowed: byOperators(201),
      otherwise: 403,
      prepare: async () => ({
        path: `/v1/admin/organisations/${(await target('webhook')).id}/webhook-secrets`,
      }),
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}/webhook-secrets/{secretId}',
      allowed: byOperators(204),
      otherwise: 403,
      prepare: async () => {
        const { id, secretId } = await target('webhook');
        return { path: `/v1/admin/organisations/${id}/webhook-secrets/${secretId}` };
      },
    },
    {
      route: 'POST /v1/subscriptions',
      // The bootstrap operator is no organisation of the directory: nothing to subscribe.
      allowed: only(201, ...subscribers),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/subscriptions', body: { countries: ['NL'] } }),
    },
    {
      route: 'GET /v1/subscriptions',
      allowed: only(200, ...subscribers),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/subscriptions' }),
    },
    {
      route: 'DELETE /v1/subscriptions/{id}',
      allowed: only(204, ...subscribers),
      otherwise: 403,
      prepare: async (caller) => {
        const created = await call(base, caller.key, 'POST', '/v1/subscriptions', {
          urgencies: ['IMMEDIATE'],
        });
        return { path: `/v1/subscriptions/${created.body?.id ?? randomUUID()}` };
      },
    },
    {
      route: 'POST /v1/alerts',
      allowed: only(202, 'originator', 'other-ngo', 'hotline'),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/alerts', body: example('raise-runaway.json') }),
    },
    {
      route: 'POST /v1/alerts/{caseId}/events',
      allowed: only(202, 'originator', 'operator', 'bootstrap-operator'),
      // Nobody was routed the case yet (routing is the router's), so to everyone else
      // the case does not exist.
      otherwise: 404,
      prepare: async () => ({
        path: `/v1/alerts/${caseId}/events`,
        body: example('event-updated.json'),
      }),
    },
    {
      route: 'GET /v1/alerts/{caseId}',
      allowed: only(200, 'originator', 'operator', 'bootstrap-operator'),
      otherwise: 404,
      prepare: async () => ({ path: `/v1/alerts/${caseId}` }),
    },
    {
      route: 'GET /v1/inbox',
      // Every organisation of the directory has an inbox; the bootstrap operator is none.
      allowed: only(200, ...organisations),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/inbox' }),
    },
    {
      route: 'GET /v1/inbox/stream',
      allowed: only(200, ...organisations),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/inbox/stream' }),
      stream: true,
    },
    {
      route: 'POST /v1/deliveries/{deliveryId}/ack',
      // Only the recipient of the delivery; operators too are "anyone else".
      allowed: only(200, 'hotline'),
      otherwise: 403,
      prepare: async () => ({
        path: `/v1/deliveries/${deliveryId}/ack`,
        body: { status: 'RECEIVED' },
      }),
    },
    {
      route: 'POST /v1/admin/cases/{caseId}/erasure',
      // A case of its own per caller: an erasure destroys its keys.
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => {
        const raised = await call(
          base,
          members.originator.key,
          'POST',
          '/v1/alerts',
          example('raise-runaway.json'),
        );
        expect(raised.status).toBe(202);
        return { path: `/v1/admin/cases/${raised.body.caseId}/erasure` };
      },
    },
    {
      route: 'GET /v1/admin/dead-letters',
      allowed: byOperators(200),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/admin/dead-letters' }),
    },
    {
      route: 'POST /v1/admin/dead-letters/replay',
      // A recipient without dead letters: an empty selection, answered 202.
      allowed: byOperators(202),
      otherwise: 403,
      prepare: async () => ({
        path: '/v1/admin/dead-letters/replay',
        body: { recipientId: uniqueName('nobody') },
      }),
    },
    // The audit API reads the audit service's index, which no audit service fills here: a
    // case without a trail is a 404 to those allowed to ask.
    {
      route: 'GET /v1/audit/cases/{caseId}',
      allowed: byAuditors(404),
      otherwise: 403,
      prepare: async () => ({ path: `/v1/audit/cases/${randomUUID()}` }),
    },
    {
      route: 'GET /v1/audit/deliveries',
      allowed: byAuditors(200),
      otherwise: 403,
      prepare: async () => ({ path: '/v1/audit/deliveries?state=unacknowledged&olderThan=PT1H' }),
    },
    {
      route: 'GET /v1/audit/checkpoints/latest',
      allowed: byAuditors(200),
      otherwise: 403,
      prepare: async () => {
        await auditIndex.setCheckpoint(SOME_CHECKPOINT);
        return { path: '/v1/audit/checkpoints/latest' };
      },
    },
    {
      route: 'GET /v1/audit/records/{seq}/proof',
      allowed: byAuditors(404),
      otherwise: 403,
      prepare: async () => {
        await auditIndex.setCheckpoint(SOME_CHECKPOINT);
        return { path: `/v1/audit/records/${Number.MAX_SAFE_INTEGER - 1}/proof` };
      },
    },
    {
      route: 'GET /v1/audit/completeness',
      allowed: byAuditors(200),
      otherwise: 403,
      prepare: async () => ({
        path: '/v1/audit/completeness?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
      }),
    },
  ];

  beforeAll(async () => {
    gateway = await startReadyGateway();
    base = gateway.base;
    const [operator, auditor, originator, otherNgo, hotline, mediator] = await Promise.all([
      enrol(base, { prefix: 'operator', roles: ['operator'], country: 'BE' }),
      enrol(base, { prefix: 'auditor', roles: ['auditor'], country: 'BE' }),
      enrol(base, { prefix: 'ngo-origin', roles: ['member-ngo'], country: 'DE' }),
      enrol(base, { prefix: 'ngo-other', roles: ['member-ngo'], country: 'FR' }),
      enrol(base, { prefix: 'hotline', roles: ['hotline'], country: 'FR' }),
      enrol(base, { prefix: 'mediator', roles: ['mediator'], country: 'FR' }),
    ]);
    members = {
      operator: operator,
      auditor: auditor,
      originator: originator,
      'other-ngo': otherNgo,
      hotline: hotline,
      mediator: mediator,
    };
    const raised = await call(
      base,
      members.originator.key,
      'POST',
      '/v1/alerts',
      example('raise-runaway.json'),
    );
    expect(raised.status).toBe(202);
    caseId = raised.body.caseId as string;

    const writer = await DeliveryWriter.open();
    try {
      const delivery = testDelivery(members.hotline.id);
      await writer.write(delivery);
      deliveryId = delivery.deliveryId;
    } finally {
      await writer.close();
    }
    await waitFor("the delivery in the hotline's inbox", async () => {
      const inbox = await call(base, members.hotline.key, 'GET', '/v1/inbox');
      return inbox.body?.deliveries?.length === 1 ? true : undefined;
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    redis.disconnect();
  });

  it('the table names every /v1 operation of the OpenAPI document', () => {
    const documented = Object.entries(openApiDocument.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key))
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
    expect(operations.map((o) => o.route).sort()).toEqual(documented.sort());
  });

  it.each(operations.map((o) => [o.route, o] as const))(
    '%s answers each caller as the contract says',
    async (route, operation) => {
      const method = route.split(' ')[0]!;
      const seen: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const caller of CALLERS) {
        const key = caller === 'bootstrap-operator' ? OPERATOR_KEY : members[caller].key;
        const prepared = await operation.prepare({ key });
        const answer = operation.stream
          ? await openStream(base, key, prepared.path)
          : await call(base, key, method, prepared.path, prepared.body);
        seen[caller] = answer.status;
        expected[caller] = operation.allowed[caller] ?? operation.otherwise;
        if (answer.status >= 400) {
          expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(answer.body.status).toBe(answer.status);
        }
      }
      expect(seen).toEqual(expected);
    },
  );

  it('answers 401 on every route to no key, a malformed key, a wrong secret, a revoked key and the key of a deleted organisation', async () => {
    const revoked = await enrol(base, { prefix: 'revoked', roles: ['operator'], country: 'BE' });
    const gone = await enrol(base, { prefix: 'gone', roles: ['operator'], country: 'BE' });
    const keyId = /^axk_([0-9a-f]{16})_/.exec(revoked.key)?.[1];
    expect(keyId).toBeDefined();
    const revocation = await admin('DELETE', `/v1/admin/organisations/${revoked.id}/keys/${keyId}`);
    expect(revocation.status).toBe(204);
    expect((await admin('DELETE', `/v1/admin/organisations/${gone.id}`)).status).toBe(204);
    for (const key of [revoked.key, gone.key]) {
      await waitFor('the key to be refused', async () =>
        (await call(base, key, 'GET', '/v1/admin/organisations')).status === 401 ? true : undefined,
      );
    }
    const last = revoked.key.at(-1) === 'a' ? 'b' : 'a';
    const presented: Array<[string, string | undefined]> = [
      ['no key', undefined],
      ['a malformed key', 'not-a-key'],
      ['a wrong secret', `${members.operator.key.slice(0, -1)}${last}`],
      ['a revoked key', revoked.key],
      ['the key of a deleted organisation', gone.key],
    ];
    const failures: string[] = [];
    for (const operation of operations) {
      const [method, template] = operation.route.split(' ') as [string, string];
      const path = template
        .replace('{caseId}', caseId)
        .replace(/\{\w+\}/g, () => members.originator.id);
      for (const [what, key] of presented) {
        const answer = await call(base, key, method, path, method === 'GET' ? undefined : {});
        if (
          answer.status !== 401 ||
          !answer.headers.get('content-type')?.startsWith('application/problem+json')
        )
          failures.push(`${operation.route} with ${what}: ${answer.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
