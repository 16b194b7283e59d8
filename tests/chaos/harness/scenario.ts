import {
  Acker,
  ApiLedger,
  Publisher,
  PullRecipient,
  ScratchExchange,
  uniqueName,
  waitFor,
  WebhookRecipients,
  type Receipts,
  type Restart,
  type ScratchExchangeOptions,
} from '@alert-exchange/testing';
import { printFigures } from './figures';
import { checkInvariant, readExchangeRecords, type InvariantReport } from './invariant';

/** The default federation: who publishes, and who must receive each alert. */
export const FEDERATION = {
  /** Member NGO of Luxembourg: raises every alert (never routed its own case). */
  originator: 'ngo-lu',
  /** 116 000 hotline of the case country, by webhook. */
  webhookHotline: 'hotline-lu',
  /** 116 000 hotline of the suspected destination, by pull. */
  pullHotline: 'hotline-mt',
} as const;

/**
 * A chaos scenario's world: a `ScratchExchange` of its own, the default federation enrolled
 * through the admin API (originator `ngo-lu`; each alert, a runaway in LU suspected to head
 * to MT, must reach `hotline-lu` by webhook and `hotline-mt` by pull), the test recipients
 * acknowledging what they receive, a `Publisher` for ngo-lu, and the API ledger.
 *
 * Use:
 * ```ts
 * const s = await ChaosScenario.start('sigkill');
 * await s.publisher.burst({ alerts: 5_000, perSecond: 30 });   // faults meanwhile
 * const report = await s.finish('1. SIGKILL of each service');  // settles, checks, prints
 * expect(report.problems).toEqual([]);
 * await s.close();                                            // in afterAll
 * ```
 * More recipients: `addWebhookRecipient` / `addPullRecipient` (coverage: their own country,
 * every category) before publishing to that country with your own `burst({ body })`, and
 * list them in `expectRecipients`.
 */
export class ChaosScenario {
  readonly pullRecipients = new Map<string, PullRecipient>();
  /** Every recipient each alert must reach: the check compares this with the routing. */
  readonly expectRecipients: string[] = [];
  /** Alert topics the check reads events from. */
  readonly alertTopics: string[] = ['alerts.lu'];
  readonly publisher: Publisher;
  readonly startedAt = Date.now();
  private readonly webhookRecipientIds: string[] = [];

  private constructor(
    readonly name: string,
    readonly exchange: ScratchExchange,
    readonly webhooks: WebhookRecipients,
    readonly acker: Acker,
    readonly ledger: ApiLedger,
    originatorKey: string,
  ) {
    this.publisher = new Publisher(exchange.base, originatorKey, this.ledger, uniqueName(name));
  }

  /** Starts the exchange and enrols the default federation. */
  static async start(name: string, options: ScratchExchangeOptions = {}): Promise<ChaosScenario> {
    const exchange = await ScratchExchange.start(options);
    let scenario: ChaosScenario | undefined;
    try {
      const ledger = new ApiLedger();
      const acker = new Acker(exchange.base, ledger);
      const webhooks = await WebhookRecipients.start(acker);
      const originator = await exchange.enrol(FEDERATION.originator, 'LU', ['member-ngo'], {
        mode: 'pull',
      });
      scenario = new ChaosScenario(name, exchange, webhooks, acker, ledger, originator.key);
      await scenario.addWebhookRecipient(FEDERATION.webhookHotline, 'LU', ['hotline']);
      await scenario.addPullRecipient(FEDERATION.pullHotline, 'MT', ['hotline']);
      await scenario.routerKnows([FEDERATION.originator, ...scenario.expectRecipients]);
      return scenario;
    } catch (error) {
      await scenario?.close();
      if (!scenario) await exchange.close();
      throw error;
    }
  }

  /**
   * Enrols a webhook recipient on the test receiver (or at `url`, an endpoint in front of
   * the receiver's `webhooks.url(id)`); it is expected for every alert.
   */
  async addWebhookRecipient(
    id: string,
    country: string,
    roles: string[],
    url = this.webhooks.url(id),
  ): Promise<void> {
    const enrolled = await this.exchange.enrol(id, country, roles, { mode: 'webhook', url });
    this.webhooks.trust(id, enrolled.webhookSecret!, enrolled.key);
    this.webhookRecipientIds.push(id);
    this.expectRecipients.push(id);
  }

  /** Enrols a pull recipient and starts its inbox loop; it is expected for every alert. */
  async addPullRecipient(id: string, country: string, roles: string[]): Promise<void> {
    const enrolled = await this.exchange.enrol(id, country, roles, { mode: 'pull' });
    this.pullRecipients.set(
      id,
      PullRecipient.start(this.exchange.base, id, enrolled.key, this.ledger, this.acker),
    );
    this.expectRecipients.push(id);
  }

  /** Waits until the router's directory holds every organisation named. */
  routerKnows(ids: readonly string[]): Promise<void> {
    return this.exchange.routerKnows(ids);
  }

  /** What each expected recipient received so far. */
  receipts(): Map<string, Receipts> {
    const all = new Map<string, Receipts>();
    for (const id of this.webhookRecipientIds) all.set(id, this.webhooks.receipts(id));
    for (const [id, pull] of this.pullRecipients) all.set(id, pull.receipts);
    return all;
  }

  /** Accepted alerts whose event has not yet reached and been acknowledged by every recipient. */
  outstanding(): number {
    const receipts = this.receipts();
    const byRecipient = new Map<string, Set<string>>();
    for (const [id, r] of receipts) byRecipient.set(id, new Set(r.eventOf.values()));
    let open = 0;
    for (const p of this.publisher.publications) {
      if (!p.eventId) continue;
      if (this.expectRecipients.some((id) => !byRecipient.get(id)?.has(p.eventId!))) open++;
    }
    return open + this.acker.pending;
  }

  /**
   * Waits (up to `timeoutMs`) until every accepted alert reached every expected recipient
   * and was acknowledged, and the trail holds every fact; then runs `checkInvariant` and
   * prints the figures under `title`. Resolves with the report whether or not it holds:
   * assert `report.problems` is empty.
   */
  async finish(
    title: string,
    options: { timeoutMs?: number; extra?: Record<string, string | number> } = {},
  ): Promise<InvariantReport> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const deadline = Date.now() + timeoutMs;
    await waitFor(
      'every alert delivered and acknowledged',
      () => (this.outstanding() === 0 ? true : undefined),
      { timeoutMs, intervalMs: 1_000 },
    ).catch(() => undefined);
    const drainedAt = Date.now();
    let report = await this.check();
    while (report.trailMissing > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      report = await this.check();
    }
    printFigures(title, report, {
      publisher: this.publisher,
      ledger: this.ledger,
      ackRetries: this.acker.retries,
      restarts: this.exchange.restarts(),
      totalMs: Date.now() - this.startedAt,
      drainMs: drainedAt - this.startedAt,
      extra: options.extra ?? {},
    });
    return report;
  }

  /** Reads the exchange's records and runs the invariant check once. */
  async check(): Promise<InvariantReport> {
    const records = await readExchangeRecords(this.exchange, this.alertTopics);
    return checkInvariant({
      publications: this.publisher.publications,
      records,
      receipts: this.receipts(),
      acked: this.acker.acked,
      expectRecipients: this.expectRecipients,
      signingSeed: this.exchange.signingSeed,
      apiViolations: this.ledger.violations,
      crashes: this.exchange.crashes(),
    });
  }

  /** Stops the recipients, the acknowledgements and the whole exchange. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pullRecipients.values()].map((p) => p.stop()));
    await this.acker.stop().catch(() => undefined);
    await this.webhooks.close().catch(() => undefined);
    await this.exchange.close();
  }
}

export type { Restart };
