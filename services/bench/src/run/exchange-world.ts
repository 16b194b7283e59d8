import {
  Acker,
  ApiLedger,
  Publisher,
  raiseBody,
  ScratchExchange,
  uniqueName,
  WebhookRecipients,
} from '@alert-exchange/testing';
import type { Arrival, Sent } from '../domain/measure';

/** Country of every benchmark alert and of its recipients (and of the originator). */
const COUNTRY = 'LU';

/**
 * The exchange under measurement: a `ScratchExchange` of its own (broker, Redis, schema
 * registry, the four services), an originating member NGO publishing through the API,
 * and `fanOut` member NGOs covering the case country that receive every alert by signed
 * webhook on loopback, verify it and acknowledge it through the API (the chaos harness's
 * recipients and publisher).
 */
export class ExchangeWorld {
  readonly publisher: Publisher;

  private constructor(
    readonly exchange: ScratchExchange,
    readonly recipients: WebhookRecipients,
    readonly acker: Acker,
    readonly ledger: ApiLedger,
    originatorKey: string,
  ) {
    this.publisher = new Publisher(exchange.base, originatorKey, this.ledger, uniqueName('bench'));
  }

  static async start(fanOut: number, registryJavaHome?: string): Promise<ExchangeWorld> {
    const exchange = await ScratchExchange.start({
      ownRegistry: true,
      ...(registryJavaHome ? { registryJavaHome } : {}),
      // The benchmark publishes and acknowledges far faster than a member would.
      env: { gateway: { RATE_LIMIT_PER_MINUTE: '100000000' } },
    });
    try {
      const ledger = new ApiLedger();
      const acker = new Acker(exchange.base, ledger, 64);
      const recipients = await WebhookRecipients.start(acker, { keepBodies: false });
      const originator = await exchange.enrol('bench-origin', COUNTRY, ['member-ngo'], {
        mode: 'pull',
      });
      const ids: string[] = [];
      for (let i = 0; i < fanOut; i++) {
        const id = `bench-recipient-${i}`;
        const enrolled = await exchange.enrol(id, COUNTRY, ['member-ngo'], {
          mode: 'webhook',
          url: recipients.url(id),
        });
        recipients.trust(id, enrolled.webhookSecret!, enrolled.key);
        ids.push(id);
      }
      await exchange.routerKnows(['bench-origin', ...ids]);
      return new ExchangeWorld(exchange, recipients, acker, ledger, originator.key);
    } catch (error) {
      await exchange.close();
      throw error;
    }
  }

  /** A benchmark alert's body: a runaway raised in LU (the size the floor sends too). */
  static body(key: string): Record<string, unknown> {
    return raiseBody(key, COUNTRY, ['MT']);
  }

  /** Every process of the exchange by name, and the benchmark's own (load and receivers). */
  pids(): Record<string, number> {
    return { ...this.exchange.pids(), bench: process.pid };
  }

  /** Publications from index `from` on, as the measurement reads them. */
  sentSince(from: number): Sent[] {
    return this.publisher.publications.slice(from).map((p) => ({
      sentAt: p.sentAt,
      ...(p.acceptedAt === undefined ? {} : { acceptedAt: p.acceptedAt }),
      ...(p.eventId === undefined ? {} : { eventId: p.eventId }),
      ...(p.refused === undefined ? {} : { refused: p.refused }),
    }));
  }

  /** Accepted pushes from index `from` of the receiver's log on. */
  *arrivalsSince(from: number): Generator<Arrival> {
    const all = this.recipients.receiver.received;
    for (let i = from; i < all.length; i++) {
      const push = all[i]!;
      if (push.status >= 300) continue;
      yield {
        recipientId: push.recipientId,
        deliveryId: push.deliveryId,
        eventId: String(push.body.eventId),
        at: push.at,
      };
    }
  }

  /** How many pushes the receiver has logged so far (a step's starting index). */
  get received(): number {
    return this.recipients.receiver.received.length;
  }

  async close(): Promise<void> {
    await this.acker.stop().catch(() => undefined);
    await this.recipients.close().catch(() => undefined);
    await this.exchange.close();
  }
}
