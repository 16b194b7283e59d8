/**
 * @alert-exchange/dispatcher: delivers routed alerts to their recipients (issue 6). So far
 * its pure building blocks only: the retry schedule and what an answer means, SSRF rules
 * for webhook destinations, Standard Webhooks signing, the webhook body, and per
 * (recipient, case) order. The Kafka, Redis and HTTP edges are not built yet
 * (docs/DELIVERY.md).
 */
export {
  DEFAULT_SCHEDULE,
  MAX_RETRY_AFTER_MS,
  classifyResponse,
  nextAttempt,
  nominalAttempts,
  scheduleProblems,
  type AttemptOutcome,
  type AttemptVerdict,
  type RetrySchedule,
  type ScheduledAttempt,
} from './domain/retry-schedule';
export {
  addressVerdict,
  urlVerdict,
  type AddressOptions,
  type UrlOptions,
  type UrlVerdict,
  type Verdict,
} from './domain/ssrf';
export {
  addDelivery,
  deliverable,
  emptyCaseOrder,
  laneKey,
  markAttemptFailed,
  markDone,
  markInFlight,
  type CaseOrder,
  type Lane,
  type OrderedDelivery,
  type WaitingDelivery,
  type WaitingState,
} from './domain/case-order';
export {
  signWebhook,
  webhookHeaders,
  type WebhookHeaders,
  type WebhookToSign,
} from './webhook-signature';
export {
  WebhookSender,
  type SendResult,
  type WebhookAttempt,
  type WebhookSenderOptions,
} from './webhook-sender';
