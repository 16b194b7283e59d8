import { setTimeout as sleep } from 'node:timers/promises';
import { errorForStatus, NetworkError, type ExchangeError } from '../errors';
import {
  parseRetryAfter,
  retryDecision,
  type AttemptOutcome,
  type RetryOptions,
} from '../retry/retry-policy';

/** What the transport needs; `fetch`, `random` and `now` are replaceable for tests. */
export interface TransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly retry: RetryOptions;
  readonly userAgent: string;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** One call of the API. */
export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  /** The path under the base URL, e.g. `/v1/alerts`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Sent as `Idempotency-Key`; a POST is sent again after a lost answer only with one. */
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** The media type asked for; JSON unless told. */
  readonly accept?: string;
  /** This call's attempt timeout, when longer than the policy's (a long poll). */
  readonly attemptTimeoutMs?: number;
}

/**
 * HTTP over the platform's fetch (undici), with the client's retry policy: each attempt
 * is timed out, each failure classified, and `retryDecision` says whether and when to go
 * again. The same headers, Idempotency-Key included, go with every attempt of one call.
 */
export class Transport {
  private readonly fetch: typeof fetch;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly base: string;

  constructor(private readonly options: TransportOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  /** Sends `spec` and parses the JSON answer (undefined for a 204). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /**
   * Sends `spec` until it succeeds or the policy gives up, and returns the 2xx response
   * with its body unread (the inbox stream reads it as it comes). Throws the
   * `ExchangeError` of the last attempt; an abort by `spec.signal` is rethrown as is.
   */
  async send(spec: RequestSpec): Promise<Response> {
    const started = this.now();
    const replayable = spec.method === 'GET' || spec.idempotencyKey !== undefined;
    for (let attempt = 1; ; attempt++) {
      const { outcome, error, response } = await this.attempt(spec, attempt);
      if (response) return response;
      const decision = retryDecision({
        outcome,
        attempt,
        elapsedMs: this.now() - started,
        replayable,
        options: this.options.retry,
        random: this.random(),
      });
      if (!decision.retry) throw error;
      await sleep(decision.delayMs, undefined, { signal: spec.signal });
    }
  }

  private async attempt(
    spec: RequestSpec,
    attempt: number,
  ): Promise<
    | { response: Response; outcome?: undefined; error?: undefined }
    | { response?: undefined; outcome: AttemptOutcome; error: ExchangeError }
  > {
    const timeout = new AbortController();
    // The timeout covers the wait for the answer's headers; a stream's body may stay open.
    const timeoutMs = Math.max(this.options.retry.attemptTimeoutMs, spec.attemptTimeoutMs ?? 0);
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal;
    try {
      const response = await this.fetch(this.url(spec), {
        method: spec.method,
        headers: this.headers(spec),
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        signal,
      });
      if (response.ok) return { response };
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
      const body = await readBody(response);
      return {
        outcome: { kind: 'status', status: response.status, retryAfterMs },
        error: errorForStatus(response.status, body, { attempts: attempt, retryAfterMs }),
      };
    } catch (cause) {
      if (spec.signal?.aborted) throw cause;
      const reason = timeout.signal.aborted ? 'no answer in time' : describe(cause);
      return {
        outcome: { kind: 'network' },
        error: new NetworkError(`${spec.method} ${spec.path}: ${reason}`, true, {
          attempts: attempt,
          cause,
        }),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private url(spec: RequestSpec): string {
    const url = new URL(`${this.base}${spec.path}`);
    for (const [name, value] of Object.entries(spec.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  private headers(spec: RequestSpec): Record<string, string> {
    return {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: spec.accept ?? 'application/json',
      'user-agent': this.options.userAgent,
      ...(spec.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...(spec.idempotencyKey === undefined ? {} : { 'idempotency-key': spec.idempotencyKey }),
      ...spec.headers,
    };
  }
}

/** The body of a failed answer: parsed JSON (a problem) when it is, its text otherwise. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** A network error's message, with its cause's code (ECONNREFUSED) when undici gives one. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
