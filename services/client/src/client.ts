import { randomUUID } from 'node:crypto';
import { Transport } from './http/transport';
import { inboxStream, type StreamOptions } from './inbox/inbox-stream';
import { DEFAULT_RETRY, type RetryOptions } from './retry/retry-policy';
import type {
  Accepted,
  Ack,
  AckInput,
  CaseInput,
  CaseRead,
  CaseTrail,
  Checkpoint,
  DeadLetter,
  EventInput,
  InboxPage,
  Organisation,
  ReplayAccepted,
  ReplaySelection,
  StreamedDelivery,
  UnacknowledgedDelivery,
} from './types';

/** How to reach the exchange. */
export interface ExchangeClientOptions {
  /** The exchange's public base URL, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** The organisation's API key (`axk_…`), sent as `Authorization: Bearer`. */
  readonly apiKey: string;
  /** How hard to retry; each member given replaces the default (`DEFAULT_RETRY`). */
  readonly retry?: Partial<RetryOptions>;
  /** Sent as `User-Agent`, e.g. `ngo-de-case-system/4.2`; the SDK's name is appended. */
  readonly userAgent?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  readonly fetch?: typeof fetch;
}

/** Options of a POST: the Idempotency-Key to send with every attempt. */
export interface PostOptions {
  /**
   * Any string up to 255 characters. Keep it with your record and send it again when
   * you retry later: within 24 hours the exchange answers the first result and publishes
   * nothing new. Generated (a random UUID) when not given.
   */
  readonly idempotencyKey?: string;
}

/** A page of the pull inbox. */
export interface InboxOptions {
  /** The cursor to read after (`next` of the previous page); the beginning when absent. */
  readonly after?: string;
  /** Seconds (up to 30) to wait for a delivery when there is none: a long poll. */
  readonly wait?: number;
  /** The most deliveries in one page. */
  readonly limit?: number;
}

/** Which dead letters to list. */
export interface DeadLetterQuery {
  readonly recipientId?: string;
  /** Only those dead-lettered at or after this time. */
  readonly since?: Date | string;
}

const SDK_AGENT = '@alert-exchange/client/0.1.0';

/**
 * A typed client of the exchange's public API (../shared/CONTRACT.md) for one
 * organisation. Every call retries what a retry can help (lost connections, 429, 502,
 * 503, 504; Retry-After honoured) within the retry policy, and throws an `ExchangeError`
 * carrying the exchange's RFC 9457 problem when it gives up. Publishing sends one
 * Idempotency-Key with every attempt, so a retry never publishes twice.
 */
export class ExchangeClient {
  private readonly transport: Transport;

  constructor(options: ExchangeClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl))
      throw new TypeError('baseUrl must be an http(s) URL, e.g. http://127.0.0.1:8080');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      retry: Object.freeze({ ...DEFAULT_RETRY, ...options.retry }),
      userAgent: options.userAgent ? `${options.userAgent} ${SDK_AGENT}` : SDK_AGENT,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Raises a case (`POST /v1/alerts`, member NGOs and hotlines): 202 once Kafka has it. */
  publishAlert(body: CaseInput, options: PostOptions = {}): Promise<Accepted> {
    return this.post('/v1/alerts', body, options.idempotencyKey ?? randomUUID());
  }

  /** Adds an event to a case (`POST /v1/alerts/{caseId}/events`). */
  publishEvent(caseId: string, body: EventInput, options: PostOptions = {}): Promise<Accepted> {
    return this.post(
      `/v1/alerts/${encodeURIComponent(caseId)}/events`,
      body,
      options.idempotencyKey ?? randomUUID(),
    );
  }

  /**
   * A case's current state (`GET /v1/alerts/{caseId}`): the whole case for its originator
   * and operators, the routed view (`viewLevel` in it) for a recipient.
   */
  getCase(caseId: string): Promise<CaseRead> {
    return this.get(`/v1/alerts/${encodeURIComponent(caseId)}`);
  }

  /** One page of the pull inbox (`GET /v1/inbox`), waiting up to `wait` seconds. */
  inbox(options: InboxOptions = {}): Promise<InboxPage> {
    return this.transport.json({
      method: 'GET',
      path: '/v1/inbox',
      query: { after: options.after, wait: options.wait, limit: options.limit },
      // A long poll holds the answer up to `wait` seconds.
      attemptTimeoutMs: ((options.wait ?? 0) + 15) * 1000,
    });
  }

  /**
   * The inbox as it comes (`GET /v1/inbox/stream`, Server-Sent Events), resumed with
   * Last-Event-ID after a dropped connection. Ends when `signal` aborts or the loop
   * breaks. Each item has the delivery and its cursor (keep it to resume later).
   */
  stream(options: StreamOptions = {}): AsyncIterable<StreamedDelivery> {
    return inboxStream(this.transport, options);
  }

  /** Acknowledges a delivery (its recipient only); the same status twice is harmless. */
  acknowledge(deliveryId: string, body: AckInput, options: PostOptions = {}): Promise<Ack> {
    // Idempotent by the contract: the same status again answers the first acknowledgement.
    return this.post(
      `/v1/deliveries/${encodeURIComponent(deliveryId)}/ack`,
      body,
      options.idempotencyKey ?? randomUUID(),
    );
  }

  /** A case's audit trail in order (auditors, operators). */
  caseTrail(caseId: string): Promise<CaseTrail> {
    return this.get(`/v1/audit/cases/${encodeURIComponent(caseId)}`);
  }

  /** Deliveries not acknowledged and routed longer ago than an ISO-8601 duration (`PT1H`). */
  async unacknowledged(olderThan = 'PT0S'): Promise<UnacknowledgedDelivery[]> {
    const answer = await this.get<{ deliveries: UnacknowledgedDelivery[] }>(
      '/v1/audit/deliveries',
      { state: 'unacknowledged', olderThan },
    );
    return answer.deliveries;
  }

  /** Deliveries the exchange gave up on, newest first (operators). */
  async deadLetters(query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const answer = await this.get<{ deadLetters: DeadLetter[] }>('/v1/admin/dead-letters', {
      recipientId: query.recipientId,
      since: query.since instanceof Date ? query.since.toISOString() : query.since,
    });
    return answer.deadLetters;
  }

  /**
   * Asks for dead letters to be sent again (operators). Not retried after a lost answer
   * unless an Idempotency-Key is given: a repeated replay would send them twice.
   */
  replayDeadLetters(
    selection: ReplaySelection,
    options: PostOptions = {},
  ): Promise<ReplayAccepted> {
    return this.post('/v1/admin/dead-letters/replay', selection, options.idempotencyKey);
  }

  /** Every organisation of the directory (operators). */
  async organisations(): Promise<Organisation[]> {
    const answer = await this.get<{ organisations: Organisation[] }>('/v1/admin/organisations');
    return answer.organisations;
  }

  /** One organisation of the directory (operators). */
  organisation(id: string): Promise<Organisation> {
    return this.get(`/v1/admin/organisations/${encodeURIComponent(id)}`);
  }

  /** The latest signed checkpoint of the audit trail (auditors, operators). */
  latestCheckpoint(): Promise<Checkpoint> {
    return this.get('/v1/audit/checkpoints/latest');
  }

  private get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return this.transport.json({ method: 'GET', path, ...(query ? { query } : {}) });
  }

  private post<T>(path: string, body: unknown, idempotencyKey: string | undefined): Promise<T> {
    return this.transport.json({
      method: 'POST',
      path,
      body,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
  }
}
