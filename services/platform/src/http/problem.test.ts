import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotAuthenticatedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnavailableError,
} from '../errors';
import { problemFor } from './problem';

describe('problemFor maps errors to RFC 9457 problem details', () => {
  it.each([
    [new InputError('bad', [{ path: '/child/ageYears', message: 'must be an integer' }]), 400],
    [new NotAuthenticatedError('who?'), 401],
    [new NotAllowedError('no'), 403],
    [new NotFoundError('none'), 404],
    [new ConflictError('again'), 409],
    [new PayloadTooLargeError('big'), 413],
    [new RateLimitedError('slow down', 3), 429],
    [new UnavailableError('later'), 503],
    [Object.assign(new Error('x'), { status: 400, type: 'entity.parse.failed' }), 400],
    [Object.assign(new Error('x'), { status: 413, type: 'entity.too.large' }), 413],
  ])('%s → %i', (error, status) => {
    const problem = problemFor(error);
    expect(problem.status).toBe(status);
    expect(problem.type).toMatch(/^https:\/\//);
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
  });

  it('names each invalid field with a JSON Pointer', () => {
    const problem = problemFor(
      new InputError('bad', [{ path: '/child/ageYears', message: 'must be an integer' }]),
    );
    expect(problem.errors).toEqual([{ path: '/child/ageYears', message: 'must be an integer' }]);
  });

  it('names the path when express cannot decode a path parameter, without echoing it', () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), {
      status: 400,
    });
    const problem = problemFor(error);
    expect(problem).toMatchObject({
      status: 400,
      errors: [{ path: '/path', message: 'must be percent-encoded UTF-8' }],
    });
    expect(JSON.stringify(problem)).not.toContain('%E0');
  });

  it('answers an unexpected error with a 500 that reveals nothing of it', () => {
    const error = new TypeError(
      "Cannot read properties of undefined (reading 'secretInternalName')",
    );
    const problem = problemFor(error);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/secretInternalName|TypeError|at /);
  });
});
