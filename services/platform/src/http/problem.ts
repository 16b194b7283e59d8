import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  ConflictError,
  type ExchangeError,
  InputError,
  NotAllowedError,
  NotAuthenticatedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnavailableError,
  type FieldError,
} from '../errors';
import type { Logger } from '../logging';

/** RFC 9457 problem details, as every error of the public API is answered. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** Where the exchange's problem types live (RFC 9457 `type`). */
export const PROBLEM_BASE = 'https://alert-exchange.eu/problems/';

const MAPPINGS: ReadonlyArray<[new (...args: never[]) => ExchangeError, number, string, string]> = [
  [InputError, 400, 'invalid-request', 'The request is not valid'],
  [NotAuthenticatedError, 401, 'not-authenticated', 'Authentication is required'],
  [NotAllowedError, 403, 'forbidden', 'This organisation may not do this'],
  [NotFoundError, 404, 'not-found', 'Not found'],
  [ConflictError, 409, 'conflict', 'The request conflicts with what is recorded'],
  [PayloadTooLargeError, 413, 'payload-too-large', 'The request body is too large'],
  [RateLimitedError, 429, 'rate-limited', 'Too many requests'],
  [UnavailableError, 503, 'unavailable', 'The exchange cannot take this request now'],
];

/**
 * The 400-family problem of a request that cannot be taken as it is, naming what to fix
 * in `errors` (JSON Pointers: `/<member>` of the body, `/query/<name>`, `/path`,
 * `/headers`). One builder for every such answer, from validation to Node's parser.
 */
export function invalidRequest(
  detail: string,
  errors?: ProblemDetails['errors'],
  status = 400,
): ProblemDetails {
  return {
    type: PROBLEM_BASE + 'invalid-request',
    title: 'The request is not valid',
    status,
    detail,
    ...(errors && { errors }),
  };
}

/**
 * Maps an error to problem details. Errors the exchange did not raise on purpose are a
 * 500 with a fixed text: no stack trace, no internal names, no message of a dependency.
 */
export function problemFor(error: unknown): ProblemDetails {
  for (const [type, status, slug, title] of MAPPINGS) {
    if (error instanceof type) {
      const problem: ProblemDetails = {
        type: PROBLEM_BASE + slug,
        title,
        status,
        detail: error.message,
      };
      if (error instanceof InputError && error.errors.length > 0)
        problem.errors = [...error.errors];
      return problem;
    }
  }
  // Errors raised by body-parser (express.json) carry an HTTP status and a type.
  const parserStatus = (error as { status?: unknown; type?: unknown } | null)?.status;
  const parserType = (error as { type?: unknown } | null)?.type;
  if (parserStatus === 413) {
    return {
      type: PROBLEM_BASE + 'payload-too-large',
      title: 'The request body is too large',
      status: 413,
      detail: 'The request body exceeds the size limit.',
    };
  }
  if (parserType === 'entity.parse.failed')
    return invalidRequest('The request body is not valid JSON.', [
      { path: '', message: 'is not valid JSON' },
    ]);
  // express's router cannot decode a path parameter (`/v1/alerts/%`, `%C3%28`): its
  // URIError carries 400. Named as `/path`, beside the body's `/<member>` and the query's
  // `/query/<name>`; the undecodable text is not echoed.
  if (error instanceof URIError && parserStatus === 400)
    return invalidRequest('The URL path is not valid percent-encoded UTF-8.', [
      { path: '/path', message: 'must be percent-encoded UTF-8' },
    ]);
  if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500)
    return invalidRequest('The request could not be read.', undefined, parserStatus);
  return {
    type: PROBLEM_BASE + 'internal',
    title: 'Internal error',
    status: 500,
    detail: 'The exchange failed to handle this request; it has been logged.',
  };
}

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(res: Parameters<RequestHandler>[1], problem: ProblemDetails): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** The last middleware of every app: errors become problem+json; only 5xx are logged. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = problemFor(error);
    if (problem.status >= 500) {
      const err =
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : { value: String(error) };
      logger.error(
        {
          err,
          method: req.method,
          route: (req.route as { path?: string } | undefined)?.path ?? req.path,
        },
        'Request failed',
      );
    }
    if (error instanceof RateLimitedError || error instanceof UnavailableError)
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
    sendProblem(res, problem);
  };
}

/** Answers every unmatched route with a 404 problem. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, problemFor(new NotFoundError(`No route ${req.method} ${req.path}`)));
};
