import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import type { Delivery } from '../types';
import { MemoryDeduper } from './deduper';
import { webhookMiddleware, type WebhookMiddlewareOptions } from './middleware';
import { verifyWebhook, WebhookVerificationError } from './verify';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

function delivery(): Delivery {
  const deliveryId = randomUUID();
  return {
    deliveryId,
    caseId: randomUUID(),
    eventId: randomUUID(),
    eventType: 'RAISED',
    category: 'RUNAWAY',
    urgency: 'IMMEDIATE',
    alert: { category: 'RUNAWAY', child: { names: [{ given: 'Ελένη' }] } },
    routing: { reasons: [{ rule: 'hotline-of-involved-country', detail: 'country=AT' }] },
    ackBy: new Date(Date.now() + 900_000).toISOString(),
  };
}

/** A push as the exchange's dispatcher makes it: one signature per active secret. */
function signed(body: Delivery, ...secrets: string[]) {
  const text = JSON.stringify(body);
  const at = new Date();
  const signatures = secrets.map((s) => new Webhook(s).sign(body.deliveryId, at, text));
  return {
    text,
    headers: {
      'content-type': 'application/json',
      'webhook-id': body.deliveryId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    },
  };
}

describe('verifyWebhook', () => {
  it('returns the delivery when any active secret signed it (a rotation)', () => {
    const [old, current] = [newSecret(), newSecret()];
    const body = delivery();
    const push = signed(body, current);
    expect(verifyWebhook(push.text, push.headers, [old, current])).toEqual(body);
  });

  it('refuses a body changed after signing, and missing headers', () => {
    const secret = newSecret();
    const push = signed(delivery(), secret);
    expect(() =>
      verifyWebhook(push.text.replace('RAISED', 'UPDATED'), push.headers, [secret]),
    ).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(push.text, {}, [secret])).toThrow('Missing header webhook-id');
  });
});

describe('the webhook middleware, in a real express app', () => {
  let server: Server;
  let base: string;
  let current: Partial<WebhookMiddlewareOptions> & Pick<WebhookMiddlewareOptions, 'onDelivery'>;
  const secret = newSecret();

  beforeAll(async () => {
    const app = express();
    app.post('/hook', (req, res, next) =>
      webhookMiddleware({ secrets: [secret], ...current })(req, res, next),
    );
    // As an app that parses the body first must do: express.raw keeps the bytes.
    app.post('/raw-hook', express.raw({ type: '*/*' }), (req, res, next) =>
      webhookMiddleware({ secrets: [secret], ...current })(req, res, next),
    );
    app.post('/json-hook', express.json(), (req, res, next) =>
      webhookMiddleware({ secrets: [secret], ...current })(req, res, next),
    );
    // Mounted as is, as an integrator would (this line is the type check of that).
    app.post('/direct', webhookMiddleware({ secrets: [secret], onDelivery: () => undefined }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, push: ReturnType<typeof signed>) =>
    fetch(`${base}${path}`, { method: 'POST', headers: push.headers, body: push.text });

  it.each(['/hook', '/raw-hook'])(
    '%s: calls onDelivery once per deliveryId and answers 204',
    async (path) => {
      const received: Delivery[] = [];
      current = { dedupe: new MemoryDeduper(), onDelivery: (d) => void received.push(d) };
      const body = delivery();
      const push = signed(body, secret);
      expect((await post(path, push)).status).toBe(204);
      expect((await post(path, push)).status).toBe(204);
      expect(received).toEqual([body]);
    },
  );

  it('answers 401 to a push signed with another secret, and does not call onDelivery', async () => {
    const received: Delivery[] = [];
    current = { onDelivery: (d) => void received.push(d) };
    const response = await post('/hook', signed(delivery(), newSecret()));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(received).toEqual([]);
  });

  it('answers 500 when onDelivery fails, and processes the retry of the same delivery', async () => {
    let calls = 0;
    current = {
      dedupe: new MemoryDeduper(),
      onDelivery: () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
      },
    };
    const push = signed(delivery(), secret);
    expect((await post('/hook', push)).status).toBe(500);
    expect((await post('/hook', push)).status).toBe(204);
    expect((await post('/hook', push)).status).toBe(204);
    expect(calls).toBe(2);
  });

  it('answers 409 to a second push while the first is being processed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    current = { dedupe: new MemoryDeduper(), onDelivery: () => held };
    const push = signed(delivery(), secret);
    const first = post('/hook', push);
    // The first push is in onDelivery once its claim is taken: poll the second until 409.
    let second = await post('/hook', push);
    while (second.status !== 409) second = await post('/hook', push);
    release();
    expect((await first).status).toBe(204);
    expect((await post('/hook', push)).status).toBe(204);
  });

  it('fails loudly when a JSON parser consumed the raw body before it', async () => {
    current = { onDelivery: () => undefined };
    const response = await post('/json-hook', signed(delivery(), secret));
    expect(response.status).toBe(500);
  });
});
