/**
 * The chaos harness (issue 10): a whole exchange of a scenario's own whose processes a
 * test kills and restarts (`ScratchExchange` of @alert-exchange/testing, which the
 * benchmark uses too), test recipients and a publisher that behave as careful integrators
 * do (also there), and the invariant every scenario ends with. Start with `ChaosScenario`.
 */
export {
  ApiLedger,
  retryAfterMs,
  sleep,
  ExchangeService,
  ScratchExchange,
  SERVICE_NAMES,
  Publisher,
  raiseBody,
  Acker,
  PullRecipient,
  WebhookRecipients,
  type CallKind,
  type ScratchExchangeOptions,
  type Restart,
  type ServiceName,
  type BurstOptions,
  type Publication,
  type Receipts,
} from '@alert-exchange/testing';
export { printFigures } from './figures';
export {
  checkInvariant,
  readExchangeRecords,
  type ExchangeRecords,
  type ExpectedDelivery,
  type InvariantReport,
} from './invariant';
export { ChaosScenario, FEDERATION } from './scenario';
