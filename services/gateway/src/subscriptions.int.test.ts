import { uniqueName, waitFor } from '@alert-exchange/testing';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

interface Answer {
  status: number;
  contentType: string | null;
  body: any;
}

async function call(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Creates an organisation with `roles` through `base` and returns its id and API key. */
async function enrol(base: string, roles: string[]): Promise<{ id: string; key: string }> {
  const id = uniqueName(roles[0]!);
  const created = await call(base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
    id,
    name: 'Hotline 116 000 (demo)',
    country: 'HU',
    roles,
    coverage: { countries: ['HU'], categories: [] },
    languages: ['hu'],
    delivery: { mode: 'pull' },
    ackWithin: 'PT15M',
  });
  expect(created.status).toBe(201);
  const issued = await call(base, OPERATOR_KEY, 'POST', `/v1/admin/organisations/${id}/keys`, {});
  expect(issued.status).toBe(201);
  return { id, key: (issued.body as { key: string }).key };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('subscriptions, on two gateway instances', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startReadyGateway(), startReadyGateway()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a hotline subscribes to every IMMEDIATE case of its neighbours; every instance serves it within 5 s; it deletes it', async () => {
    const hotline = await enrol(a.base, ['hotline']);
    const created = await call(a.base, hotline.key, 'POST', '/v1/subscriptions', {
      countries: ['AT', 'SK', 'AT'],
      urgencies: ['IMMEDIATE'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      countries: ['AT', 'SK'],
      categories: [],
      urgencies: ['IMMEDIATE'],
      eventTypes: [],
    });
    const subscription = created.body as { id: string };

    const seenByB = await waitFor(
      'instance B to serve the subscription',
      async () => {
        const list = await call(b.base, hotline.key, 'GET', '/v1/subscriptions');
        return list.status === 200 && list.body.subscriptions.length === 1 ? list.body : undefined;
      },
      { timeoutMs: 5_000 },
    );
    expect(seenByB).toEqual({ subscriptions: [created.body] });

    expect(
      (await call(b.base, hotline.key, 'DELETE', `/v1/subscriptions/${subscription.id}`)).status,
    ).toBe(204);
    expect((await call(b.base, hotline.key, 'GET', '/v1/subscriptions')).body).toEqual({
      subscriptions: [],
    });
    await waitFor(
      'instance A to forget it',
      async () =>
        (await call(a.base, hotline.key, 'GET', '/v1/subscriptions')).body.subscriptions.length ===
        0
          ? true
          : undefined,
      { timeoutMs: 5_000 },
    );
    const again = await call(a.base, hotline.key, 'DELETE', `/v1/subscriptions/${subscription.id}`);
    expect(again.status).toBe(404);
  });

  it('an empty body subscribes to everything: empty lists match all', async () => {
    const ngo = await enrol(a.base, ['member-ngo']);
    const created = await call(a.base, ngo.key, 'POST', '/v1/subscriptions', {});
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      countries: [],
      categories: [],
      urgencies: [],
      eventTypes: [],
    });
  });

  it('another organisation can neither see nor delete my subscription', async () => {
    const [mine, theirs] = await Promise.all([
      enrol(a.base, ['member-ngo']),
      enrol(a.base, ['mediator']),
    ]);
    const created = await call(a.base, mine.key, 'POST', '/v1/subscriptions', {
      categories: ['PARENTAL_ABDUCTION'],
    });
    expect(created.status).toBe(201);
    expect((await call(a.base, theirs.key, 'GET', '/v1/subscriptions')).body).toEqual({
      subscriptions: [],
    });
    const deleted = await call(
      a.base,
      theirs.key,
      'DELETE',
      `/v1/subscriptions/${created.body.id}`,
    );
    expect(deleted.status).toBe(404);
    expect(deleted.contentType).toMatch(/^application\/problem\+json/);
    expect((await call(a.base, mine.key, 'GET', '/v1/subscriptions')).body.subscriptions).toEqual([
      created.body,
    ]);
  });

  it.each<[string, unknown, string[]]>([
    ['a lower-case country', { countries: ['at'] }, ['/countries/0']],
    ['an unknown country', { countries: ['DE', 'ZZ'] }, ['/countries/1']],
    ['an unknown category', { categories: ['LOST'] }, ['/categories/0']],
    ['an unknown urgency', { urgencies: ['NOW'] }, ['/urgencies/0']],
    ['an unknown event type', { eventTypes: ['RAISED', 'CREATED'] }, ['/eventTypes/1']],
    ['a list given as a string', { countries: 'DE' }, ['/countries']],
    ['an unknown member', { colour: 'blue' }, ['']],
  ])('%s is a 400 problem naming the field', async (_name, body, paths) => {
    const hotline = await enrol(a.base, ['hotline']);
    const answer = await call(a.base, hotline.key, 'POST', '/v1/subscriptions', body);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect((answer.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(
      paths,
    );
  });

  it('auditors and the bootstrap operator (not in the directory) are refused with 403', async () => {
    const auditor = await enrol(a.base, ['auditor']);
    for (const key of [auditor.key, OPERATOR_KEY]) {
      const answer = await call(a.base, key, 'POST', '/v1/subscriptions', {});
      expect(answer.status).toBe(403);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    }
    const bootstrap = await call(a.base, OPERATOR_KEY, 'GET', '/v1/subscriptions');
    expect(bootstrap.status).toBe(403);
    expect(bootstrap.body.detail).toMatch(/not an organisation of the directory/);
    const operator = await enrol(a.base, ['operator']);
    expect((await call(a.base, operator.key, 'POST', '/v1/subscriptions', {})).status).toBe(201);
  });

  it('concurrent subscriptions through one instance are all kept, and an admin PATCH keeps them', async () => {
    const hotline = await enrol(a.base, ['hotline']);
    const created = await Promise.all(
      ['AT', 'SK', 'RO', 'HR', 'RS', 'SI', 'UA', 'DE'].map((country) =>
        call(a.base, hotline.key, 'POST', '/v1/subscriptions', { countries: [country] }),
      ),
    );
    expect(created.map((c) => c.status)).toEqual(Array(8).fill(201));
    const patched = await call(
      a.base,
      OPERATOR_KEY,
      'PATCH',
      `/v1/admin/organisations/${hotline.id}`,
      { languages: ['hu', 'en'] },
    );
    expect(patched.status).toBe(200);
    const list = await call(a.base, hotline.key, 'GET', '/v1/subscriptions');
    expect(list.body.subscriptions.map((s: { id: string }) => s.id).sort()).toEqual(
      created.map((c) => c.body.id).sort(),
    );
  });

  it('the 51st subscription of an organisation is refused with 409', async () => {
    const ngo = await enrol(a.base, ['member-ngo']);
    for (let n = 0; n < 50; n++) {
      expect((await call(a.base, ngo.key, 'POST', '/v1/subscriptions', {})).status).toBe(201);
    }
    const refused = await call(a.base, ngo.key, 'POST', '/v1/subscriptions', {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/delete one/);
  });
});
