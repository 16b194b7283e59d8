import { WebhookReceiver } from '../webhook-receiver';
import { retryAfterMs, sleep, type ApiLedger } from './api-ledger';

/** What a test recipient received: per deliveryId, how often and for which event. */
export interface Receipts {
  /** deliveryId → times received (a repeat is an at-least-once re-send). */
  readonly times: Map<string, number>;
  /** deliveryId → eventId, from the delivery's body. */
  readonly eventOf: Map<string, string>;
}

const receipts = (): Receipts => ({ times: new Map(), eventOf: new Map() });

function note(r: Receipts, deliveryId: string, eventId: string): boolean {
  const times = (r.times.get(deliveryId) ?? 0) + 1;
  r.times.set(deliveryId, times);
  r.eventOf.set(deliveryId, eventId);
  return times === 1;
}

/**
 * Acknowledges deliveries through POST /v1/deliveries/{id}/ack as a recipient's system
 * does once it holds them: each deliveryId once (status RECEIVED), retried after a 503
 * (its Retry-After), a 404 (the gateway has not filed the delivery yet: its projection
 * lags after a restart), a 5xx or no answer, until acknowledged. `acked` holds
 * `recipientId deliveryId` of every 200.
 */
export class Acker {
  readonly acked = new Set<string>();
  /** `recipientId deliveryId` → when its acknowledgement was answered 200 (ms). */
  readonly ackedAt = new Map<string, number>();
  /** Attempts beyond each acknowledgement's first. */
  retries = 0;
  private readonly queue: Array<{ recipientId: string; key: string; deliveryId: string }> = [];
  private readonly queued = new Set<string>();
  private wake: (() => void) | undefined;
  private stopped = false;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly base: string,
    private readonly ledger: ApiLedger,
    concurrency = 8,
  ) {
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  /** Queues an acknowledgement of `deliveryId` by `recipientId` (holding `key`), once. */
  acknowledge(recipientId: string, key: string, deliveryId: string): void {
    const id = `${recipientId} ${deliveryId}`;
    if (this.queued.has(id)) return;
    this.queued.add(id);
    this.queue.push({ recipientId, key, deliveryId });
    this.wake?.();
  }

  /** Deliveries queued and not acknowledged yet. */
  get pending(): number {
    return this.queued.size - this.acked.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 200);
        });
        continue;
      }
      let first = true;
      while (!this.stopped) {
        if (!first) this.retries++;
        first = false;
        const response = await this.ledger.call(
          'ack',
          `${this.base}/v1/deliveries/${next.deliveryId}/ack`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${next.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ status: 'RECEIVED' }),
          },
        );
        if (!response) continue;
        if (response.status === 200) {
          const id = `${next.recipientId} ${next.deliveryId}`;
          this.acked.add(id);
          this.ackedAt.set(id, Date.now());
          break;
        }
        await sleep(retryAfterMs(response.headers, 1_000));
      }
    }
  }
}

/**
 * Webhook recipients: the dispatcher tests' `WebhookReceiver` (a real HTTP server on
 * loopback verifying every push with the Standard Webhooks reference implementation,
 * answering 401 to a bad signature), whose accepted pushes are recorded per recipient and
 * acknowledged through the `Acker`. Use: `start()`, `url(id)` for enrolment, `trust(id,
 * secret, key)` with the enrolment's secret and key, `close()` in afterAll. Scenarios that
 * want a misbehaving endpoint set its behaviour on `receiver.behave(id, ...)`: only 2xx
 * answers count as received.
 */
export class WebhookRecipients {
  private readonly byRecipient = new Map<string, Receipts>();
  private readonly keys = new Map<string, string>();
  private seen = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly receiver: WebhookReceiver,
    private readonly acker: Acker,
  ) {
    this.timer = setInterval(() => this.collect(), 100);
  }

  /** `keepBodies: false`: the receiver keeps of each push its eventId alone. */
  static async start(
    acker: Acker,
    options: { keepBodies?: boolean } = {},
  ): Promise<WebhookRecipients> {
    return new WebhookRecipients(await WebhookReceiver.start(options), acker);
  }

  url(recipientId: string): string {
    return this.receiver.url(recipientId);
  }

  /** Trusts the recipient's signing secret; acknowledges its pushes with `apiKey`. */
  trust(recipientId: string, secret: string, apiKey: string): void {
    this.receiver.trust(recipientId, [secret]);
    this.keys.set(recipientId, apiKey);
    this.byRecipient.set(recipientId, receipts());
  }

  /** What `recipientId` accepted so far (2xx answers only). */
  receipts(recipientId: string): Receipts {
    this.collect();
    return this.byRecipient.get(recipientId) ?? receipts();
  }

  /** Pushes refused for a bad signature. */
  get refused(): number {
    return this.receiver.refused.length;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.receiver.close();
  }

  private collect(): void {
    const all = this.receiver.received;
    for (; this.seen < all.length; this.seen++) {
      const push = all[this.seen]!;
      if (push.status >= 300) continue;
      const r = this.byRecipient.get(push.recipientId);
      if (!r) continue;
      note(r, push.deliveryId, String(push.body.eventId));
      this.acker.acknowledge(push.recipientId, this.keys.get(push.recipientId)!, push.deliveryId);
    }
  }
}

/**
 * A pull recipient: long-polls GET /v1/inbox?after=<cursor>&wait=5 from its last cursor,
 * records every delivery it is given and acknowledges it through the `Acker`; retries
 * after 503, 5xx and no answer, keeping its cursor (a real integrator stores it). Use:
 * `PullRecipient.start(base, id, key, ledger, acker)`, `receipts`, `stop()` in afterAll.
 */
export class PullRecipient {
  readonly receipts = receipts();
  private stopped = false;
  private cursor: string | undefined;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly base: string,
    readonly id: string,
    private readonly key: string,
    private readonly ledger: ApiLedger,
    private readonly acker: Acker,
  ) {
    this.loop = this.run();
  }

  static start(
    base: string,
    id: string,
    key: string,
    ledger: ApiLedger,
    acker: Acker,
  ): PullRecipient {
    return new PullRecipient(base, id, key, ledger, acker);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const after = this.cursor === undefined ? '' : `&after=${encodeURIComponent(this.cursor)}`;
      const response = await this.ledger.call('inbox', `${this.base}/v1/inbox?wait=5${after}`, {
        headers: { authorization: `Bearer ${this.key}` },
      });
      if (!response) continue;
      if (response.status !== 200) {
        await sleep(retryAfterMs(response.headers, 1_000));
        continue;
      }
      const page = JSON.parse(response.text) as {
        deliveries: Array<{ deliveryId: string; eventId: string }>;
        next?: string | null;
      };
      for (const d of page.deliveries) {
        note(this.receipts, d.deliveryId, d.eventId);
        this.acker.acknowledge(this.id, this.key, d.deliveryId);
      }
      if (page.next) this.cursor = page.next;
    }
  }
}
