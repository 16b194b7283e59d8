/**
 * The exchange's error family. Every error says whether trying again can help
 * (`retriable`), so that consumers pause and retry, or dead-letter, without guessing.
 * None of these know about HTTP: `problemDetails` in `../http` maps them to status codes.
 */

/** One invalid field of an input, named by its JSON Pointer path (RFC 6901). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Base of every error the exchange raises on purpose. */
export class ExchangeError extends Error {
  /** True when the same operation may succeed if tried again later. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** The process was started with configuration it cannot run with. */
export class ConfigError extends ExchangeError {
  constructor(
    message: string,
    readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/** The caller sent something invalid; the fields say what. */
export class InputError extends ExchangeError {
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** The caller did not prove who it is. */
export class NotAuthenticatedError extends ExchangeError {}

/** The caller is known but may not do this. */
export class NotAllowedError extends ExchangeError {}

/** The thing asked for does not exist, or the caller may not know that it does. */
export class NotFoundError extends ExchangeError {}

/** The request conflicts with what is already recorded (e.g. an idempotency key reused). */
export class ConflictError extends ExchangeError {}

/** The request body is larger than the exchange accepts. */
export class PayloadTooLargeError extends ExchangeError {}

/** The caller sent too many requests; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends ExchangeError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retriable: true });
  }
}

/**
 * A dependency (Kafka, Redis, the schema registry, a recipient) cannot be reached now;
 * `retryAfterSeconds` is the wait suggested to an HTTP client (Retry-After of the 503).
 */
export class UnavailableError extends ExchangeError {
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { retriable: true, cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

/**
 * A message that can never be processed, however often it is retried (bad magic byte,
 * unknown schema id, invalid record). Consumers send it to the dead-letter topic with `reason`.
 */
export class PoisonMessageError extends ExchangeError {
  constructor(
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(reason, { retriable: false, ...options });
  }
}

/** True when `error` says that trying again may help; unknown errors are assumed retriable. */
export function isRetriable(error: unknown): boolean {
  return error instanceof ExchangeError ? error.retriable : true;
}
