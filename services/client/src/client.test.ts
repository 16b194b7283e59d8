import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExchangeClient } from './client';
import { InvalidRequestError, NetworkError, RateLimitedError } from './errors';
import type { CaseInput } from './types';

/** A stand-in exchange on loopback: each request is answered by the next script step. */
type Step = (req: IncomingMessage, res: ServerResponse) => void;

describe('the client against a scripted exchange on loopback', () => {
  let server: Server;
  let base: string;
  let steps: Step[] = [];
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      req.resume();
      req.on('end', () => (steps.shift() ?? notFound)(req, res));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
    steps = [];
  });

  const client = () =>
    new ExchangeClient({
      baseUrl: base,
      apiKey: 'axk_test',
      userAgent: 'unit-test/1',
      retry: { initialDelayMs: 10, maxDelayMs: 2_000, deadlineMs: 10_000 },
    });
  const json =
    (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
    (_req, res) =>
      res
        .writeHead(status, {
          'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
          ...headers,
        })
        .end(JSON.stringify(body));
  const notFound = json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'x' });
  const dropConnection: Step = (req) => req.socket.destroy();
  const accepted = { caseId: 'c-1', eventId: 'e-1', traceId: '0'.repeat(32) };
  const unavailable = {
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    detail: 'Kafka',
  };
  const body = { category: 'RUNAWAY' } as CaseInput;

  it('a publication retried after a 503 and a lost connection sends one Idempotency-Key every time', async () => {
    steps = [json(503, unavailable, { 'retry-after': '0' }), dropConnection, json(202, accepted)];
    expect(await client().publishAlert(body)).toEqual(accepted);
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer axk_test',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(seen[0]!.headers['user-agent']).toMatch(/^unit-test\/1 @alert-exchange\/client/);
  });

  it("the caller's own Idempotency-Key is sent as given", async () => {
    steps = [json(202, accepted)];
    await client().publishEvent(
      'c-1',
      { type: 'WITHDRAWN', occurredAt: 'x' },
      {
        idempotencyKey: 'my-key-1',
      },
    );
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/alerts/c-1/events',
      headers: { 'idempotency-key': 'my-key-1' },
    });
  });

  it('a POST without a key is not sent again after a lost connection', async () => {
    steps = [dropConnection, json(202, { requestId: 'r', deliveryIds: [] })];
    const error = await client()
      .replayDeadLetters({ recipientId: 'hotline-at' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ retriable: true, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('a validation error is thrown at once, with each bad field', async () => {
    steps = [
      json(400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The body is invalid',
        errors: [{ path: '/child/ageYears', message: 'must be under 18' }],
      }),
    ];
    const error = await client()
      .publishAlert(body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({
      status: 400,
      retriable: false,
      errors: [{ path: '/child/ageYears', message: 'must be under 18' }],
    });
    expect(seen).toHaveLength(1);
  });

  it('a Retry-After longer than the budget gives up at once with a retriable error', async () => {
    steps = [
      json(
        429,
        { ...unavailable, status: 429, title: 'Too Many Requests' },
        { 'retry-after': '60' },
      ),
    ];
    const error = await client()
      .getCase('c-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retriable: true, retryAfterMs: 60_000 });
  });

  it('reads pass their query and unwrap their lists', async () => {
    steps = [
      json(200, { deliveries: [], next: '0-7' }),
      json(200, { deadLetters: [{ deliveryId: 'd' }] }),
      json(200, { deliveries: [{ deliveryId: 'u' }] }),
    ];
    const c = client();
    expect(await c.inbox({ after: '0-6', wait: 1, limit: 5 })).toEqual({
      deliveries: [],
      next: '0-7',
    });
    expect(await c.deadLetters({ since: new Date('2026-11-23T00:00:00Z') })).toEqual([
      { deliveryId: 'd' },
    ]);
    expect(await c.unacknowledged('PT1H')).toEqual([{ deliveryId: 'u' }]);
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/inbox?after=0-6&wait=1&limit=5',
      '/v1/admin/dead-letters?since=2026-11-23T00%3A00%3A00.000Z',
      '/v1/audit/deliveries?state=unacknowledged&olderThan=PT1H',
    ]);
  });

  it('the stream resumes with Last-Event-ID after the connection drops', async () => {
    const event = (id: string, deliveryId: string) =>
      `id: ${id}\nevent: delivery\ndata: ${JSON.stringify({ deliveryId })}\n\n`;
    const sse =
      (...chunks: string[]): Step =>
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(['retry: 10\n\n', ...chunks].join(''));
      };
    steps = [sse(event('0-1', 'a')), sse(': heartbeat\n\n', event('0-2', 'b'))];
    const received: Array<{ cursor: string; id: string }> = [];
    const stop = new AbortController();
    for await (const item of client().stream({ after: '0-0', signal: stop.signal })) {
      received.push({ cursor: item.cursor, id: item.delivery.deliveryId });
      if (received.length === 2) break;
    }
    expect(received).toEqual([
      { cursor: '0-1', id: 'a' },
      { cursor: '0-2', id: 'b' },
    ]);
    expect(seen[0]).toMatchObject({ url: '/v1/inbox/stream?after=0-0' });
    expect(seen[1]).toMatchObject({
      url: '/v1/inbox/stream?after=0-1',
      headers: { 'last-event-id': '0-1', accept: 'text/event-stream' },
    });
  });

  it('a stream silent for longer than idleTimeoutMs is reopened after the last cursor', async () => {
    const silent: Step = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 10\n\nid: 4-1\nevent: delivery\ndata: {"deliveryId":"a"}\n\n');
      // ...then nothing, as a connection whose peer vanished
    };
    const again: Step = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('id: 4-2\nevent: delivery\ndata: {"deliveryId":"b"}\n\n');
    };
    steps = [silent, again];
    const ids: string[] = [];
    for await (const { delivery } of client().stream({ idleTimeoutMs: 300 })) {
      ids.push(delivery.deliveryId);
      if (ids.length === 2) break;
    }
    expect(ids).toEqual(['a', 'b']);
    expect(seen[1]!.headers['last-event-id']).toBe('4-1');
  });
});
