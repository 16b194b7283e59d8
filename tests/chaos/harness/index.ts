/**
 * The chaos harness (issue 10): a whole exchange of a scenario's own whose processes a
 * test kills and restarts, test recipients and a publisher that behave as careful
 * integrators do, and the invariant every scenario ends with. Start with `ChaosScenario`.
 */
export { ApiLedger, retryAfterMs, sleep, type CallKind } from './api-ledger';
export {
  ChaosExchange,
  ChaosService,
  SERVICE_NAMES,
  type ChaosExchangeOptions,
  type Restart,
  type ServiceName,
} from './exchange';
export { printFigures } from './figures';
export {
  checkInvariant,
  readExchangeRecords,
  type ExchangeRecords,
  type ExpectedDelivery,
  type InvariantReport,
} from './invariant';
export { Publisher, raiseBody, type BurstOptions, type Publication } from './publisher';
export { Acker, PullRecipient, WebhookRecipients, type Receipts } from './recipients';
export { ChaosScenario, FEDERATION } from './scenario';
