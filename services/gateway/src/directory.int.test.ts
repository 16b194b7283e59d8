import { uniqueName, waitFor } from '@alert-exchange/testing';
import {
  OPERATOR_KEY,
  startReadyGateway as startGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

const json = (key: string | undefined, body?: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: {
    'content-type': 'application/json',
    ...(key ? { authorization: `Bearer ${key}` } : {}),
  },
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
});

function organisation(id: string): Record<string, unknown> {
  return {
    id,
    name: 'Telefono Azzurro (demo)',
    country: 'IT',
    roles: ['hotline'],
    coverage: { countries: ['IT', 'SM', 'VA'], categories: [] },
    languages: ['it', 'en'],
    delivery: { mode: 'pull' },
    ackWithin: 'PT15M',
  };
}

describe('the directory through the admin API, on two gateway instances', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startGateway(), startGateway()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('an organisation created through one instance is served by the other, changed and deleted everywhere', async () => {
    const id = uniqueName('hotline-it');
    const created = await fetch(
      `${a.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, organisation(id)),
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id,
      roles: ['hotline'],
      delivery: { mode: 'pull' },
      ackWithin: 'PT900S',
    });

    const seenByB = await waitFor('instance B to see the new organisation', async () => {
      const response = await fetch(
        `${b.base}/v1/admin/organisations/${id}`,
        json(OPERATOR_KEY, undefined, 'GET'),
      );
      return response.status === 200 ? response.json() : undefined;
    });
    expect(seenByB).toMatchObject({
      id,
      country: 'IT',
      coverage: { countries: ['IT', 'SM', 'VA'] },
    });

    const patched = await fetch(
      `${b.base}/v1/admin/organisations/${id}`,
      json(OPERATOR_KEY, { ackWithin: 'PT5M', languages: ['it'] }, 'PATCH'),
    );
    expect(patched.status).toBe(200);
    await waitFor('instance A to see the change', async () => {
      const view = (await (
        await fetch(`${a.base}/v1/admin/organisations/${id}`, json(OPERATOR_KEY, undefined, 'GET'))
      ).json()) as { ackWithin?: string };
      return view.ackWithin === 'PT300S' ? true : undefined;
    });

    const list = (await (
      await fetch(`${a.base}/v1/admin/organisations`, json(OPERATOR_KEY, undefined, 'GET'))
    ).json()) as { organisations: Array<{ id: string }> };
    expect(list.organisations.map((o) => o.id)).toContain(id);

    expect(
      (
        await fetch(
          `${a.base}/v1/admin/organisations/${id}`,
          json(OPERATOR_KEY, undefined, 'DELETE'),
        )
      ).status,
    ).toBe(204);
    await waitFor('instance B to forget it', async () => {
      const response = await fetch(
        `${b.base}/v1/admin/organisations/${id}`,
        json(OPERATOR_KEY, undefined, 'GET'),
      );
      return response.status === 404 ? true : undefined;
    });
  });

  it('an organisation key authenticates with its roles; a third key is refused; a revoked key stops working on every instance', async () => {
    const id = uniqueName('hotline-at');
    expect(
      (
        await fetch(
          `${a.base}/v1/admin/organisations`,
          json(OPERATOR_KEY, { ...organisation(id), country: 'AT' }),
        )
      ).status,
    ).toBe(201);
    const issue = async (): Promise<Response> =>
      fetch(`${a.base}/v1/admin/organisations/${id}/keys`, json(OPERATOR_KEY, {}));
    const first = await issue();
    expect(first.status).toBe(201);
    const { key, keyId } = (await first.json()) as { key: string; keyId: string };
    expect(key).toMatch(/^axk_/);
    expect((await issue()).status).toBe(201);
    expect((await issue()).status).toBe(409);

    // A hotline is authenticated everywhere but is no operator.
    await waitFor('instance B to know the key', async () => {
      const response = await fetch(`${b.base}/v1/admin/organisations`, json(key, undefined, 'GET'));
      return response.status === 403 ? true : undefined;
    });
    const wrong = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(
      (await fetch(`${b.base}/v1/admin/organisations`, json(wrong, undefined, 'GET'))).status,
    ).toBe(401);

    expect(
      (
        await fetch(
          `${a.base}/v1/admin/organisations/${id}/keys/${keyId}`,
          json(OPERATOR_KEY, undefined, 'DELETE'),
        )
      ).status,
    ).toBe(204);
    await waitFor('instance B to refuse the revoked key', async () => {
      const response = await fetch(`${b.base}/v1/admin/organisations`, json(key, undefined, 'GET'));
      return response.status === 401 ? true : undefined;
    });
    expect((await issue()).status).toBe(201);
  });

  it('a restarted instance reads the directory back from Kafka', async () => {
    const id = uniqueName('ngo-de');
    expect(
      (
        await fetch(
          `${a.base}/v1/admin/organisations`,
          json(OPERATOR_KEY, { ...organisation(id), country: 'DE', roles: ['member-ngo'] }),
        )
      ).status,
    ).toBe(201);
    const fresh = await startGateway();
    try {
      const response = await fetch(
        `${fresh.base}/v1/admin/organisations/${id}`,
        json(OPERATOR_KEY, undefined, 'GET'),
      );
      expect(response.status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });

  it('a second organisation with the same id is refused with 409', async () => {
    const id = uniqueName('dup');
    expect(
      (await fetch(`${a.base}/v1/admin/organisations`, json(OPERATOR_KEY, organisation(id))))
        .status,
    ).toBe(201);
    const again = await fetch(
      `${a.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, organisation(id)),
    );
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it.each<[string, (id: string) => unknown, string[]]>([
    ['a bad id', (id) => ({ ...organisation(id), id: 'No Caps!' }), ['/id']],
    ['an unknown role', (id) => ({ ...organisation(id), roles: ['police'] }), ['/roles/0']],
    ['a lower-case country', (id) => ({ ...organisation(id), country: 'it' }), ['/country']],
    [
      'an unknown category',
      (id) => ({ ...organisation(id), coverage: { countries: ['IT'], categories: ['LOST'] } }),
      ['/coverage/categories/0'],
    ],
    [
      'a webhook without a URL',
      (id) => ({ ...organisation(id), delivery: { mode: 'webhook' } }),
      ['/delivery/url'],
    ],
    ['a bad duration', (id) => ({ ...organisation(id), ackWithin: 'soon' }), ['/ackWithin']],
    ['an unknown member', (id) => ({ ...organisation(id), colour: 'blue' }), ['']],
  ])('%s is a 400 problem naming the field', async (_name, make, paths) => {
    const response = await fetch(
      `${a.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, make(uniqueName('bad'))),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path)).toEqual(paths);
  });

  it.each([
    ['no key', undefined, 401],
    ['a wrong key', 'not-the-operator-key-0123456789abcdefghij', 401],
  ])('the admin API answers %s with %i', async (_name, key, status) => {
    const response = await fetch(`${a.base}/v1/admin/organisations`, json(key, undefined, 'GET'));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({
      status,
      title: expect.any(String),
      detail: expect.any(String),
    });
  });

  it('malformed JSON is a 400 problem and an oversized body a 413 problem, never a 5xx', async () => {
    const malformed = await fetch(
      `${a.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, '{"id": '),
    );
    expect(malformed.status).toBe(400);
    const huge = await fetch(
      `${a.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, { ...organisation('huge'), name: 'x'.repeat(300_000) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('webhook URLs at registration, on a gateway with production defaults (no WEBHOOK_ALLOW_*)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGateway({
      WEBHOOK_ALLOW_LOOPBACK: undefined,
      WEBHOOK_ALLOW_HTTP: undefined,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const webhook = (id: string, url: string) => ({
    ...organisation(id),
    delivery: { mode: 'webhook', url },
  });

  it.each([
    ['the cloud metadata service', 'https://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['loopback', 'https://127.0.0.1:8443/in', 'loopback'],
    ['loopback written in hex', 'https://0x7f.1/in', 'loopback'],
    ['a loopback name', 'https://localhost/in', 'loopback name'],
    ['an IPv4-mapped private address', 'https://[::ffff:10.0.0.5]/in', 'RFC 1918'],
    ['a private address', 'https://192.168.1.20/in', 'RFC 1918'],
    ['plain http', 'http://hooks.example/in', 'webhooks need https'],
    ['credentials in the URL', 'https://user:pw@hooks.example/in', 'credentials'],
  ])('%s is refused with a 400 problem naming /delivery/url', async (_name, url, reason) => {
    const response = await fetch(
      `${gateway.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, webhook(uniqueName('ssrf'), url)),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as {
      errors: Array<{ path: string; message: string }>;
    };
    expect(problem.errors).toEqual([
      { path: '/delivery/url', message: expect.stringContaining(reason) },
    ]);
  });

  it('a public https URL is accepted, and a PATCH to an internal one is refused', async () => {
    const id = uniqueName('ssrf-ok');
    const created = await fetch(
      `${gateway.base}/v1/admin/organisations`,
      json(OPERATOR_KEY, webhook(id, 'https://hooks.example/in')),
    );
    expect(created.status).toBe(201);
    const patched = await fetch(
      `${gateway.base}/v1/admin/organisations/${id}`,
      json(OPERATOR_KEY, { delivery: { mode: 'webhook', url: 'https://10.1.2.3/in' } }, 'PATCH'),
    );
    expect(patched.status).toBe(400);
    const problem = (await patched.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path)).toEqual(['/delivery/url']);
    const view = (await (
      await fetch(
        `${gateway.base}/v1/admin/organisations/${id}`,
        json(OPERATOR_KEY, undefined, 'GET'),
      )
    ).json()) as { delivery: { url: string } };
    expect(view.delivery.url).toBe('https://hooks.example/in');
  });
});
