import {
  ConflictError,
  errorForStatus,
  ExchangeError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnauthorisedError,
  UnavailableError,
  UnexpectedResponseError,
} from './errors';

const problem = (status: number) => ({
  type: 'about:blank',
  title: 'Bad Request',
  status,
  detail: 'The body is invalid',
  errors: [{ path: '/child/ageYears', message: 'must be under 18' }],
});

describe('an answer of the exchange becomes a typed error', () => {
  it.each([
    [400, InvalidRequestError, false],
    [413, InvalidRequestError, false],
    [401, UnauthorisedError, false],
    [403, ForbiddenError, false],
    [404, NotFoundError, false],
    [409, ConflictError, false],
    [429, RateLimitedError, true],
    [502, UnavailableError, true],
    [503, UnavailableError, true],
    [504, UnavailableError, true],
    [500, ServerError, false],
    [302, UnexpectedResponseError, false],
  ])('%i is a %p, retriable: %p', (status, type, retriable) => {
    const error = errorForStatus(status, problem(status));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error.name).toBe(type.name);
    expect(error.retriable).toBe(retriable);
    expect(error.status).toBe(status);
  });

  it('carries the RFC 9457 problem: title, detail and each bad field', () => {
    const error = errorForStatus(400, problem(400), { attempts: 1 });
    expect(error.title).toBe('Bad Request');
    expect(error.detail).toBe('The body is invalid');
    expect(error.errors).toEqual([{ path: '/child/ageYears', message: 'must be under 18' }]);
    expect(error.message).toBe('400 Bad Request: The body is invalid');
  });

  it('keeps Retry-After and the number of attempts', () => {
    const error = errorForStatus(503, problem(503), { attempts: 5, retryAfterMs: 2_000 });
    expect(error.attempts).toBe(5);
    expect(error.retryAfterMs).toBe(2_000);
  });

  it('an answer that is no problem (a proxy page) still has its status', () => {
    const error = errorForStatus(502, '<html>Bad Gateway</html>');
    expect(error.problem).toBeUndefined();
    expect(error.errors).toEqual([]);
    expect(error.message).toBe('The exchange answered 502');
  });
});
