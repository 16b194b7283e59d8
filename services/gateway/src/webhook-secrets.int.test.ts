import {
  AvroCodec,
  createDurableProducer,
  silentLogger,
  type Producer,
} from '@alert-exchange/platform';
import { testKafka, testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import { activeSecrets } from './auth/webhook-secrets';
import { openWebhookSecretStore, type WebhookSecretStore } from './directory/directory';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

const WHSEC = /^whsec_[A-Za-z0-9+/]{43}=$/;

interface Answer {
  status: number;
  text: string;
  body: any;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  key: string = OPERATOR_KEY,
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
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}

function organisation(id: string, delivery: unknown): Record<string, unknown> {
  return {
    id,
    name: 'Child Focus (demo)',
    country: 'BE',
    roles: ['member-ngo'],
    coverage: { countries: ['BE'], categories: [] },
    languages: ['fr', 'nl'],
    delivery,
    ackWithin: 'PT1H',
  };
}

const webhook = (id: string) => ({ mode: 'webhook', url: `http://127.0.0.1:9/hooks/${id}` });

describe('webhook signing secrets, on two gateway instances', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  // What the dispatcher will do: follow directory.webhook-secrets and sign with the values.
  let producer: Producer;
  let dispatcherView: WebhookSecretStore;

  beforeAll(async () => {
    [a, b] = await Promise.all([startReadyGateway(), startReadyGateway()]);
    const kafka = testKafka();
    producer = createDurableProducer(kafka);
    await producer.connect();
    dispatcherView = await openWebhookSecretStore(
      {
        kafka,
        codec: new AvroCodec(testStack().schemaRegistryUrl),
        producer,
        logger: silentLogger(),
      },
      'directory.webhook-secrets',
    );
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), dispatcherView?.close()]);
    await producer?.disconnect();
  });

  const secretIdsOn = async (gateway: GatewayProcess, id: string) => {
    const list = await call(gateway.base, 'GET', `/v1/admin/organisations/${id}/webhook-secrets`);
    return list.status === 200
      ? (list.body.webhookSecrets as Array<{ secretId: string; revokedAt: string | null }>)
      : undefined;
  };

  it('a webhook organisation gets its signing secret in the create response, once; GET never shows it', async () => {
    const id = uniqueName('ngo-be');
    const created = await call(
      a.base,
      'POST',
      '/v1/admin/organisations',
      organisation(id, webhook(id)),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id,
      delivery: webhook(id),
      webhookSecret: {
        secretId: expect.stringMatching(/^[0-9a-f]{16}$/),
        secret: expect.stringMatching(WHSEC),
        createdAt: expect.any(String),
      },
    });
    const { secret, secretId } = created.body.webhookSecret as { secret: string; secretId: string };

    for (const gateway of [a, b]) {
      const read = await waitFor('the organisation on every instance', async () => {
        const answer = await call(gateway.base, 'GET', `/v1/admin/organisations/${id}`);
        return answer.status === 200 ? answer : undefined;
      });
      expect(read.body.webhookSecret).toBeUndefined();
      expect(read.text).not.toContain(secret);
      const list = await call(gateway.base, 'GET', '/v1/admin/organisations');
      expect(list.text).not.toContain(secret);
    }
    const listed = await call(a.base, 'GET', `/v1/admin/organisations/${id}/webhook-secrets`);
    expect(listed.body).toEqual({
      webhookSecrets: [
        { secretId, createdAt: created.body.webhookSecret.createdAt, revokedAt: null },
      ],
    });
    expect(listed.text).not.toContain('whsec_');

    // The dispatcher reads the value itself from the compacted topic.
    const stored = await waitFor('the secret in directory.webhook-secrets', () =>
      dispatcherView.get(id),
    );
    expect(activeSecrets(stored).map((s) => s.secret)).toEqual([secret]);
  });

  it('a pull organisation gets no secret, and cannot be issued one', async () => {
    const id = uniqueName('ngo-be');
    const created = await call(
      a.base,
      'POST',
      '/v1/admin/organisations',
      organisation(id, { mode: 'pull' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.webhookSecret).toBeUndefined();
    const issued = await call(a.base, 'POST', `/v1/admin/organisations/${id}/webhook-secrets`, {});
    expect(issued.status).toBe(409);
    expect(issued.body.detail).toMatch(/pull/);
  });

  it('a PATCH switching an organisation to webhook delivery issues its secret in the response, once', async () => {
    const id = uniqueName('ngo-be');
    await call(a.base, 'POST', '/v1/admin/organisations', organisation(id, { mode: 'pull' }));
    const switched = await call(a.base, 'PATCH', `/v1/admin/organisations/${id}`, {
      delivery: webhook(id),
    });
    expect(switched.status).toBe(200);
    expect(switched.body.webhookSecret.secret).toMatch(WHSEC);
    const renamed = await call(a.base, 'PATCH', `/v1/admin/organisations/${id}`, {
      name: 'Renamed (demo)',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.webhookSecret).toBeUndefined();
    expect(await secretIdsOn(a, id)).toHaveLength(1);
  });

  it('rotation: two secrets at most, a third is 409 until one is revoked; every instance follows within 5 s', async () => {
    const id = uniqueName('ngo-be');
    const created = await call(
      a.base,
      'POST',
      '/v1/admin/organisations',
      organisation(id, webhook(id)),
    );
    const first = created.body.webhookSecret.secretId as string;
    const path = `/v1/admin/organisations/${id}/webhook-secrets`;

    const second = await call(a.base, 'POST', path, {});
    expect(second.status).toBe(201);
    expect(second.body.secret).toMatch(WHSEC);
    expect(second.body.secret).not.toBe(created.body.webhookSecret.secret);
    const third = await call(a.base, 'POST', path, {});
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ status: 409, detail: expect.stringMatching(/revoke one/) });

    // Instance B sees both within 5 s, and refuses a third as well.
    await waitFor(
      'instance B to see the second secret',
      async () => ((await secretIdsOn(b, id))?.length === 2 ? true : undefined),
      { timeoutMs: 5_000 },
    );
    expect((await call(b.base, 'POST', path, {})).status).toBe(409);

    // Revoked through B (idempotent; unknown ids are 404) ...
    expect((await call(b.base, 'DELETE', `${path}/${first}`)).status).toBe(204);
    expect((await call(b.base, 'DELETE', `${path}/${first}`)).status).toBe(204);
    expect((await call(b.base, 'DELETE', `${path}/ffffffffffffffff`)).status).toBe(404);
    expect(
      (await call(b.base, 'DELETE', `/v1/admin/organisations/nobody-here/webhook-secrets/${first}`))
        .status,
    ).toBe(404);

    // ... A follows within 5 s, and then issues a new one.
    await waitFor(
      'instance A to see the revocation',
      async () =>
        (await secretIdsOn(a, id))?.find((s) => s.secretId === first)?.revokedAt ? true : undefined,
      { timeoutMs: 5_000 },
    );
    const replacement = await call(a.base, 'POST', path, {});
    expect(replacement.status).toBe(201);

    // The dispatcher sees exactly the two active secrets; the revoked value is gone.
    const stored = await waitFor('the dispatcher to see the rotation', () => {
      const record = dispatcherView.get(id);
      return activeSecrets(record).length === 2 &&
        activeSecrets(record)[0]!.secretId === replacement.body.secretId
        ? record
        : undefined;
    });
    expect(activeSecrets(stored).map((s) => s.secret)).toEqual([
      replacement.body.secret,
      second.body.secret,
    ]);
    expect(JSON.stringify(stored)).not.toContain(created.body.webhookSecret.secret);
  });

  it('deleting an organisation deletes its secrets', async () => {
    const id = uniqueName('ngo-be');
    await call(a.base, 'POST', '/v1/admin/organisations', organisation(id, webhook(id)));
    await waitFor('the dispatcher to see the secret', () => dispatcherView.get(id));
    expect((await call(a.base, 'DELETE', `/v1/admin/organisations/${id}`)).status).toBe(204);
    await waitFor('the dispatcher to forget the secret', () =>
      dispatcherView.get(id) === undefined ? true : undefined,
    );
    expect(
      (await call(a.base, 'GET', `/v1/admin/organisations/${id}/webhook-secrets`)).status,
    ).toBe(404);
  });

  it('only operators manage webhook secrets', async () => {
    const id = uniqueName('hotline-be');
    await call(a.base, 'POST', '/v1/admin/organisations', {
      ...organisation(id, webhook(id)),
      roles: ['hotline'],
    });
    const { key } = (await call(a.base, 'POST', `/v1/admin/organisations/${id}/keys`, {})).body as {
      key: string;
    };
    const path = `/v1/admin/organisations/${id}/webhook-secrets`;
    for (const method of ['GET', 'POST']) {
      const answer = await call(a.base, method, path, method === 'POST' ? {} : undefined, key);
      expect(answer.status).toBe(403);
    }
  });
});
