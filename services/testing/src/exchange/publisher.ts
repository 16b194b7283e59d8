import { example } from '../api-calls';
import { retryAfterMs, sleep, type ApiLedger } from './api-ledger';

/** What one alert's publication came to. */
export interface Publication {
  readonly index: number;
  /** The Idempotency-Key, also the alert's originCaseReference. */
  readonly key: string;
  /** The ids of the first 202. */
  caseId?: string;
  eventId?: string;
  /** When the burst's pace meant it to start, and when its first attempt started (ms). */
  readonly scheduledAt: number;
  readonly sentAt: number;
  /** Attempts made (1 when the first was accepted). */
  attempts: number;
  /** Ids of later 202s (`republish`) that differ from the first's: a second case for one key. */
  readonly divergent: string[];
  acceptedAt?: number;
  /** A 4xx that is not a retry signal (the alert was refused): status and body. */
  refused?: string;
}

/** How the publisher sends a burst. */
export interface BurstOptions {
  readonly alerts: number;
  /** Alerts started per second (paced from the start of the burst). */
  readonly perSecond: number;
  /** Requests in flight at most. */
  readonly concurrency?: number;
  /** The body of alert i, given its key (the default: a runaway in LU towards MT). */
  readonly body?: (index: number, key: string) => Record<string, unknown>;
  /**
   * How many alerts of the burst may have been started so far (read before each): a fault
   * script holds the burst back with it so that its faults land mid-burst however long a
   * restart takes. Unlimited by default.
   */
  readonly allowance?: () => number;
  /** Gives up on an alert after this long of retrying (default 10 minutes). */
  readonly giveUpAfterMs?: number;
  /**
   * Alerts not started by this time (ms since epoch) are not sent at all: a benchmark
   * step ends on time even when the exchange falls behind its rate. Unlimited by default.
   */
  readonly startBy?: number;
}

/** A runaway raised in `caseCountry`, last seen there, suspected to head to `destinations`. */
export function raiseBody(
  key: string,
  caseCountry: string,
  destinations: string[],
): Record<string, unknown> {
  const body = example('raise-runaway.json');
  body.originCaseReference = key;
  body.countries = {
    caseCountry,
    lastSeenCountry: caseCountry,
    suspectedDestinations: destinations,
    knownRoute: [],
  };
  return body;
}

/**
 * A member system publishing through POST /v1/alerts as a careful integrator does: one
 * Idempotency-Key per alert, the same key on every retry; retries after a 503 (waiting
 * its Retry-After), a 429, a 409 saying the key's first request is still in progress, and
 * after a call that got no answer (the gateway was killed). Every answer goes to the
 * ledger. Use: `new Publisher(exchange.base, key, ledger, 'run-1').burst({...})`, then
 * read `publications` and `retries`.
 */
export class Publisher {
  readonly publications: Publication[] = [];
  /** Attempts beyond each alert's first. */
  retries = 0;
  /** 409s for a key still in progress (a killed gateway's lock, until it expires). */
  inProgressConflicts = 0;
  /** When the latest 202 arrived. */
  lastAcceptedAt = 0;

  constructor(
    private readonly base: string,
    private readonly apiKey: string,
    private readonly ledger: ApiLedger,
    /** Prefix of every Idempotency-Key (unique per run). */
    private readonly keyPrefix: string,
  ) {}

  /** Publishes `alerts` alerts at `perSecond`; resolves once each is accepted or refused. */
  async burst(options: BurstOptions): Promise<void> {
    const started = Date.now();
    const first = this.publications.length;
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= options.alerts) return;
        while (options.allowance && i >= options.allowance()) await sleep(100);
        const scheduledAt = started + (i * 1_000) / options.perSecond;
        const wait = scheduledAt - Date.now();
        if (wait > 0) await sleep(wait);
        if (options.startBy !== undefined && Date.now() > options.startBy) return;
        const key = `${this.keyPrefix}-${first + i}`;
        const body = options.body?.(first + i, key) ?? raiseBody(key, 'LU', ['MT']);
        await this.publishOne(first + i, key, body, options.giveUpAfterMs ?? 600_000, scheduledAt);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, () => worker()));
  }

  /**
   * Sends each given, already accepted alert again with its key and body, as a client does
   * that never saw its answer; a 202 naming other ids than the first is kept in
   * `divergent` (a second case or event for one key).
   */
  async republish(
    publications: readonly Publication[],
    body: (index: number, key: string) => Record<string, unknown> = (_i, key) =>
      raiseBody(key, 'LU', ['MT']),
  ): Promise<void> {
    for (const publication of publications) {
      const again: Publication = {
        index: publication.index,
        key: publication.key,
        scheduledAt: Date.now(),
        sentAt: Date.now(),
        attempts: 0,
        divergent: [],
      };
      await this.send(again, body(publication.index, publication.key), 600_000);
      this.retries += again.attempts;
      if (again.eventId !== publication.eventId || again.caseId !== publication.caseId)
        publication.divergent.push(
          `${again.caseId ?? '-'}/${again.eventId ?? again.refused ?? '-'}`,
        );
    }
  }

  private async publishOne(
    index: number,
    key: string,
    body: Record<string, unknown>,
    giveUpAfterMs: number,
    scheduledAt: number,
  ): Promise<void> {
    const publication: Publication = {
      index,
      key,
      scheduledAt,
      sentAt: Date.now(),
      attempts: 0,
      divergent: [],
    };
    this.publications.push(publication);
    await this.send(publication, body, giveUpAfterMs);
    if (publication.attempts > 1) this.retries += publication.attempts - 1;
  }

  private async send(
    publication: Publication,
    body: Record<string, unknown>,
    giveUpAfterMs: number,
  ): Promise<void> {
    const key = publication.key;
    const deadline = Date.now() + giveUpAfterMs;
    while (Date.now() < deadline) {
      publication.attempts++;
      const response = await this.ledger.call(
        'publish',
        `${this.base}/v1/alerts`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
        },
        60_000,
      );
      if (!response) continue;
      if (response.status === 202) {
        const ids = JSON.parse(response.text) as { caseId: string; eventId: string };
        publication.caseId = ids.caseId;
        publication.eventId = ids.eventId;
        publication.acceptedAt = Date.now();
        this.lastAcceptedAt = Math.max(this.lastAcceptedAt, publication.acceptedAt);
        return;
      }
      if (response.status === 409 && /still in progress/.test(response.text)) {
        this.inProgressConflicts++;
        await sleep(2_000);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        await sleep(retryAfterMs(response.headers, 1_000));
        continue;
      }
      publication.refused = `${response.status} ${response.text.slice(0, 300)}`;
      return;
    }
    publication.refused = `gave up after ${publication.attempts} attempts`;
  }
}
