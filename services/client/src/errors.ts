import type { Problem } from './types';

/** What the exchange said, or failed to say, about a request that did not succeed. */
export interface ExchangeErrorDetails {
  /** The HTTP status; absent when no answer came (a network error, a timeout). */
  readonly status?: number;
  /** The RFC 9457 problem the exchange answered with, when it sent one. */
  readonly problem?: Problem;
  /** How many attempts were made before giving up. */
  readonly attempts?: number;
  /** How long the exchange asked to wait before trying again (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * The base of every error the client throws. `retriable` says whether trying again later
 * can help (a 503, a 429, a lost connection); the client has already retried those
 * within its budget, so a retriable error means the budget ran out.
 */
export class ExchangeError extends Error {
  readonly status: number | undefined;
  readonly problem: Problem | undefined;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly retriable: boolean,
    details: ExchangeErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.problem = details.problem;
    this.attempts = details.attempts ?? 1;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The problem's title (`Bad Request`), when there is one. */
  get title(): string | undefined {
    return this.problem?.title;
  }

  /** The problem's detail, when there is one. */
  get detail(): string | undefined {
    return this.problem?.detail;
  }

  /** Each bad field of a validation error (JSON Pointer paths); empty otherwise. */
  get errors(): ReadonlyArray<{ path: string; message: string }> {
    return this.problem?.errors ?? [];
  }
}

/** 400, 413, 422: the request is wrong; fix it (see `errors`) rather than retry. */
export class InvalidRequestError extends ExchangeError {}
/** 401: the API key is missing, unknown or revoked. */
export class UnauthorisedError extends ExchangeError {}
/** 403: the caller's organisation may not do this. */
export class ForbiddenError extends ExchangeError {}
/** 404: no such thing, or not one the caller may see. */
export class NotFoundError extends ExchangeError {}
/** 409: the case is closed, or the Idempotency-Key was used with another body. */
export class ConflictError extends ExchangeError {}
/** 429: the organisation's rate limit is spent; retry after `retryAfterMs`. */
export class RateLimitedError extends ExchangeError {}
/** 502, 503, 504: the exchange cannot take the request now; retry (same Idempotency-Key). */
export class UnavailableError extends ExchangeError {}
/** Another 5xx: a fault of the exchange. */
export class ServerError extends ExchangeError {}
/** No answer came: the connection failed, dropped or timed out. Retry with the same key. */
export class NetworkError extends ExchangeError {}
/** Any other answer the client did not expect. */
export class UnexpectedResponseError extends ExchangeError {}

/** Whether `value` looks like an RFC 9457 problem. */
function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).status === 'number' &&
    typeof (value as Problem).title === 'string'
  );
}

/**
 * The error for an answer with `status` and its parsed body (a problem, or anything else).
 * Pure: the HTTP layer reads the body and the Retry-After header and hands them in.
 */
export function errorForStatus(
  status: number,
  body: unknown,
  details: Omit<ExchangeErrorDetails, 'status' | 'problem'> = {},
): ExchangeError {
  const problem = isProblem(body) ? body : undefined;
  const message = problem
    ? `${status} ${problem.title}: ${problem.detail}`
    : `The exchange answered ${status}`;
  const all = { ...details, status, problem };
  if (status === 400 || status === 413 || status === 422)
    return new InvalidRequestError(message, false, all);
  if (status === 401) return new UnauthorisedError(message, false, all);
  if (status === 403) return new ForbiddenError(message, false, all);
  if (status === 404) return new NotFoundError(message, false, all);
  if (status === 409) return new ConflictError(message, false, all);
  if (status === 429) return new RateLimitedError(message, true, all);
  if (status === 502 || status === 503 || status === 504)
    return new UnavailableError(message, true, all);
  if (status >= 500) return new ServerError(message, false, all);
  return new UnexpectedResponseError(message, false, all);
}
