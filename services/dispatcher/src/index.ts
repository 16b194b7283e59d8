/**
 * @alert-exchange/dispatcher: delivers routed alerts to their recipients (issue 6;
 * docs/DELIVERY.md). The service is `main.ts` (the `Dispatcher` over Kafka, Redis and
 * undici); exported here are its pure decisions: the retry schedule and what an answer
 * means, SSRF rules for webhook destinations, Standard Webhooks signing, and per
 * (recipient, case) order and the index of what is due.
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
  CaseOrder,
  laneKey,
  type OrderedDelivery,
  type WaitingDelivery,
  type WaitingState,
} from './domain/case-order';
export { DueQueue, MinHeap, type DueEntry } from './domain/due-queue';
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
