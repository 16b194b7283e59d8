import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What a recipient's endpoint does with a request: a status, after an optional delay. */
export type Behaviour = (count: number) => {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
};

const OK: Behaviour = () => ({ status: 204 });

/** A request the receiver accepted (signature verified with the reference implementation). */
export interface Received {
  readonly recipientId: string;
  readonly deliveryId: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly at: number;
  /** The W3C trace context the push carried. */
  readonly traceparent: string | undefined;
}

/**
 * Recipients' webhook endpoints: one real HTTP server on loopback, a path per recipient,
 * each request checked with `standardwebhooks` against the recipient's secrets (any of
 * them, as during a rotation). A request whose signature fails is answered 401 and kept
 * in `refused`.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly refused: string[] = [];
  /** Requests under way, per recipient. */
  readonly open = new Map<string, number>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly secrets = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  /**
   * Listens on a free loopback port. `keepBodies: false` keeps of each body its eventId
   * alone (a benchmark receives hundreds of thousands of pushes).
   */
  static async start({
    keepBodies = true,
  }: { keepBodies?: boolean } = {}): Promise<WebhookReceiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const receiver = new WebhookReceiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    server.on('request', (req, res) => {
      const recipientId = decodeURIComponent((req.url ?? '').replace(/^\/hooks\//, ''));
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const headers = {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        };
        let parsed: Record<string, unknown> | undefined;
        for (const secret of receiver.secrets.get(recipientId) ?? []) {
          try {
            parsed = new Webhook(secret).verify(text, headers) as Record<string, unknown>;
            break;
          } catch {
            // try the recipient's other secret (a rotation)
          }
        }
        if (!parsed) {
          receiver.refused.push(recipientId);
          res.writeHead(401).end();
          return;
        }
        const count = (receiver.counts.get(recipientId) ?? 0) + 1;
        receiver.counts.set(recipientId, count);
        const {
          status,
          delayMs = 0,
          headers: answerHeaders = {},
        } = (receiver.behaviours.get(recipientId) ?? OK)(count);
        receiver.open.set(recipientId, (receiver.open.get(recipientId) ?? 0) + 1);
        const verifiedBody = parsed;
        const answer = () => {
          receiver.open.set(recipientId, (receiver.open.get(recipientId) ?? 1) - 1);
          receiver.received.push({
            recipientId,
            deliveryId: headers['webhook-id'],
            body: keepBodies ? verifiedBody : { eventId: verifiedBody.eventId },
            status,
            at: Date.now(),
            traceparent: req.headers.traceparent as string | undefined,
          });
          if (!res.destroyed) res.writeHead(status, answerHeaders).end();
        };
        if (delayMs > 0) setTimeout(answer, delayMs).unref();
        else answer();
      });
    });
    return receiver;
  }

  url(recipientId: string): string {
    return `${this.base}/hooks/${encodeURIComponent(recipientId)}`;
  }
  behave(recipientId: string, behaviour: Behaviour): void {
    this.behaviours.set(recipientId, behaviour);
  }
  trust(recipientId: string, secrets: string[]): void {
    this.secrets.set(recipientId, secrets);
  }
  /** Requests answered 2xx for `recipientId`, in arrival order. */
  delivered(recipientId: string): Received[] {
    return this.received.filter((r) => r.recipientId === recipientId && r.status < 300);
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    return Promise.resolve();
  }
}

/** A fresh Standard Webhooks signing secret. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
