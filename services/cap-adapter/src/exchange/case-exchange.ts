import type { CaseBody, EventBody } from '@alert-exchange/contracts';

/**
 * What the adapter needs of the exchange: `ExchangeClient` of `@alert-exchange/client`
 * satisfies it (publishing sends the Idempotency-Key on every retry).
 */
export interface CaseExchange {
  publishAlert(
    body: CaseBody,
    options: { idempotencyKey: string },
  ): Promise<{ caseId: string; eventId: string }>;
  publishEvent(
    caseId: string,
    body: EventBody,
    options: { idempotencyKey: string },
  ): Promise<{ caseId: string; eventId: string }>;
  getCase(caseId: string): Promise<object>;
}
