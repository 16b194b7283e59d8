import { lookup as dnsLookup } from 'node:dns';
import { Agent, errors, request } from 'undici';
import { addressVerdict, urlVerdict, type UrlOptions } from '@alert-exchange/platform';
import type { AttemptOutcome } from './domain/retry-schedule';
import { webhookHeaders } from './webhook-signature';

/** One webhook attempt: where, what, signed with which secrets. */
export interface WebhookAttempt {
  readonly url: string;
  /** Whose endpoint (the recipient's id): each has its own connections. */
  readonly endpoint?: string;
  /** The deliveryId (webhook-id). */
  readonly id: string;
  /** The exact JSON text sent. */
  readonly body: string;
  /** The recipient's active `whsec_` secrets. */
  readonly secrets: readonly string[];
  /** W3C trace context of the alert, passed on to the recipient. */
  readonly traceparent?: string;
}

/** What an attempt came to: an outcome to classify, or a URL the exchange will not call. */
export type SendResult = AttemptOutcome | { kind: 'refused'; reason: string };

export interface WebhookSenderOptions extends UrlOptions {
  /** No complete answer within this is a timeout (contract: 10 s). */
  readonly timeoutMs?: number;
  /** Keep-alive connections per endpoint (the per-endpoint concurrency cap). */
  readonly connectionsPerOrigin?: number;
  readonly now?: () => number;
  /** Name resolution (node:dns lookup by default; tests give fixed answers). */
  readonly resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

const systemResolve = (hostname: string) =>
  new Promise<Array<{ address: string; family: number }>>((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

class RefusedAddress extends Error {}

/**
 * POSTs signed webhooks with undici over keep-alive connections. SSRF: the URL is judged
 * before anything is sent (scheme, credentials, address literals), and every address a
 * host name resolves to is judged again inside the connection's own DNS lookup, so a name
 * that resolves differently the second time (DNS rebinding) cannot reach a forbidden
 * address. Redirects are not followed (undici's default): a 3xx is an answer like a 500.
 */
export class WebhookSender {
  /**
   * A connection pool per endpoint (the attempt's `endpoint`, the recipient): recipients
   * hosted behind one origin (one platform serving several NGOs) must not share, or a
   * slow one would hold the connections the others need.
   */
  private readonly agents = new Map<string, Agent>();
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  private agentFor(endpoint: string): Agent {
    const existing = this.agents.get(endpoint);
    if (existing) return existing;
    const { options } = this;
    const agent = new Agent({
      connections: options.connectionsPerOrigin ?? 4,
      keepAliveTimeout: 30_000,
      connect: {
        timeout: this.timeoutMs,
        lookup: (hostname, lookupOptions, callback) => {
          const resolve = options.resolve ?? systemResolve;
          resolve(hostname).then(
            (list) => {
              for (const { address } of list) {
                const verdict = addressVerdict(address, options);
                if (!verdict.allowed) {
                  callback(new RefusedAddress(`${hostname}: ${verdict.reason}`), '', 0);
                  return;
                }
              }
              const first = list[0];
              if (!first) callback(new Error(`${hostname} has no address`), '', 0);
              else if (lookupOptions.all) callback(null, list, 0);
              else callback(null, first.address, first.family);
            },
            (error: NodeJS.ErrnoException) => callback(error, '', 0),
          );
        },
      },
    });
    this.agents.set(endpoint, agent);
    return agent;
  }

  async send(attempt: WebhookAttempt): Promise<SendResult> {
    const verdict = urlVerdict(attempt.url, this.options);
    if (!verdict.allowed) return { kind: 'refused', reason: verdict.reason };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'alert-exchange-dispatcher',
      ...webhookHeaders({
        id: attempt.id,
        timestamp: Math.floor(this.now() / 1000),
        body: attempt.body,
        secrets: attempt.secrets,
      }),
      ...(attempt.traceparent ? { traceparent: attempt.traceparent } : {}),
    };
    try {
      const response = await request(attempt.url, {
        method: 'POST',
        headers,
        body: attempt.body,
        dispatcher: this.agentFor(attempt.endpoint ?? ''),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Read and drop the answer, so the connection can be kept alive.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'response',
        status: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null),
      };
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): SendResult {
    const cause = (error as { cause?: unknown }).cause;
    if (error instanceof RefusedAddress || cause instanceof RefusedAddress)
      return { kind: 'refused', reason: ((cause ?? error) as Error).message };
    if (
      error instanceof errors.HeadersTimeoutError ||
      error instanceof errors.BodyTimeoutError ||
      error instanceof errors.ConnectTimeoutError ||
      (error as Error).name === 'TimeoutError' ||
      (error as Error).name === 'AbortError'
    )
      return { kind: 'timeout' };
    const code = (error as { code?: string }).code ?? (cause as { code?: string })?.code;
    return { kind: 'network-error', message: code ?? (error as Error).message };
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
  }
}
