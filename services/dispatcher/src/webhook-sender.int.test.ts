import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { classifyResponse } from './domain/retry-schedule';
import { WebhookSender } from './webhook-sender';

/**
 * The webhook sender against a real HTTP server on loopback, which checks every request
 * with the Standard Webhooks reference implementation (the `standardwebhooks` package).
 */

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const OLD = newSecret();
const NEW = newSecret();

interface Received {
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

describe('the webhook sender', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  let sender: WebhookSender;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body, headers: req.headers });
        const answer = (status: number, headers: Record<string, string> = {}) => {
          res.writeHead(status, headers).end();
        };
        if (req.url === '/ok') answer(204);
        else if (req.url === '/fail') answer(500);
        else if (req.url === '/busy') answer(503, { 'retry-after': '30' });
        else if (req.url === '/gone') answer(410);
        else if (req.url === '/moved') answer(302, { location: 'http://169.254.169.254/' });
        else if (req.url === '/slow') setTimeout(() => answer(200), 3_000);
        else answer(404);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sender = new WebhookSender({
      allowLoopback: true,
      allowPrivate: false,
      allowInsecure: true,
      timeoutMs: 1_000,
    });
  });
  afterAll(async () => {
    await sender?.close();
    server?.closeAllConnections();
    server?.close();
  });

  const attempt = (path: string) => ({
    url: `${base}${path}`,
    id: randomUUID(),
    body: JSON.stringify({ deliveryId: 'x', alert: { names: ['Ελένη'] } }),
    secrets: [NEW, OLD],
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });

  it('signs so that the reference implementation verifies it with either secret of a rotation', async () => {
    const sent = attempt('/ok');
    expect(await sender.send(sent)).toEqual({ kind: 'response', status: 204, retryAfter: null });
    const request = received.find((r) => r.headers['webhook-id'] === sent.id)!;
    expect(request.body).toBe(sent.body);
    expect(request.headers.traceparent).toBe(sent.traceparent);
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    for (const secret of [OLD, NEW])
      expect(new Webhook(secret).verify(request.body, headers)).toEqual(JSON.parse(sent.body));
    expect(() => new Webhook(newSecret()).verify(request.body, headers)).toThrow();
    expect(() => new Webhook(NEW).verify(`${request.body} `, headers)).toThrow();
  });

  it.each([
    ['/fail', { kind: 'retry', reason: 'status=500' }],
    ['/gone', { kind: 'endpoint-disabled' }],
    ['/moved', { kind: 'retry', reason: 'status=302' }],
    ['/slow', { kind: 'retry', reason: 'timeout' }],
  ] as const)('%s is classified as %o', async (path, verdict) => {
    const outcome = await sender.send(attempt(path));
    expect(outcome.kind === 'refused' ? outcome : classifyResponse(outcome, 0)).toEqual(verdict);
  });

  it('honours Retry-After of a 503', async () => {
    const outcome = await sender.send(attempt('/busy'));
    expect(outcome).toEqual({ kind: 'response', status: 503, retryAfter: '30' });
    if (outcome.kind !== 'response') throw new Error('no response');
    expect(classifyResponse(outcome, 1_000)).toMatchObject({ kind: 'retry', notBefore: 31_000 });
  });

  it('does not follow a redirect towards a forbidden address', async () => {
    const before = received.length;
    await sender.send(attempt('/moved'));
    expect(received.length).toBe(before + 1);
  });

  it('refuses loopback, private and link-local endpoints unless allowed, before sending', async () => {
    const strict = new WebhookSender({
      allowLoopback: false,
      allowPrivate: false,
      allowInsecure: true,
    });
    try {
      const before = received.length;
      for (const url of [
        `${base}/ok`,
        'http://localhost:9/ok',
        'http://10.0.0.7/ok',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:9/ok',
      ]) {
        const outcome = await strict.send({ ...attempt('/ok'), url });
        expect(outcome).toMatchObject({ kind: 'refused' });
      }
      expect(received.length).toBe(before);
    } finally {
      await strict.close();
    }
  });

  it('judges the addresses a host name resolves to when it connects, so DNS cannot smuggle loopback in', async () => {
    const port = (server.address() as AddressInfo).port;
    const resolving = (address: string) =>
      new WebhookSender({
        allowLoopback: false,
        allowPrivate: false,
        allowInsecure: true,
        resolve: () => Promise.resolve([{ address, family: 4 }]),
      });
    const toLoopback = resolving('127.0.0.1');
    const toMetadata = resolving('169.254.169.254');
    try {
      const before = received.length;
      for (const sender of [toLoopback, toMetadata]) {
        const outcome = await sender.send({
          ...attempt('/ok'),
          url: `http://recipient.example:${port}/ok`,
        });
        expect(outcome).toMatchObject({
          kind: 'refused',
          reason: expect.stringMatching(/^recipient\.example: /),
        });
      }
      expect(received.length).toBe(before);
    } finally {
      await Promise.all([toLoopback.close(), toMetadata.close()]);
    }
  });
});
