/**
 * `@alert-exchange/client`: the SDK of the Alert Exchange for member systems, hotlines,
 * mediators, operators and auditors. Its whole API is exported here.
 */
export {
  ExchangeClient,
  type DeadLetterQuery,
  type ExchangeClientOptions,
  type InboxOptions,
  type PostOptions,
} from './client';
export {
  ConflictError,
  errorForStatus,
  ExchangeError,
  ForbiddenError,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnauthorisedError,
  UnavailableError,
  UnexpectedResponseError,
  type ExchangeErrorDetails,
} from './errors';
export type { StreamOptions } from './inbox/inbox-stream';
export {
  backoffDelay,
  DEFAULT_RETRY,
  isRetriable,
  parseRetryAfter,
  retryDecision,
  type AttemptOutcome,
  type RetryDecision,
  type RetryInput,
  type RetryOptions,
} from './retry/retry-policy';
export {
  MemoryDeduper,
  type ClaimResult,
  type DeliveryDeduper,
  type MemoryDeduperOptions,
} from './webhooks/deduper';
export {
  webhookMiddleware,
  type DeliveryContext,
  type WebhookHandler,
  type WebhookMiddlewareOptions,
  type WebhookRequest,
} from './webhooks/middleware';
export { verifyWebhook, WebhookVerificationError, type WebhookHeaders } from './webhooks/verify';
export type * from './types';
