import type { Request, RequestHandler } from 'express';
import { NotAllowedError, NotAuthenticatedError, RateLimitedError } from '@alert-exchange/platform';
import type { Directory, KeyStore } from '../directory/directory';
import { toOrganisationView, type RoleName } from '../directory/organisation-body';
import { keyIdOf, keyMatches, parseKey } from './api-keys';
import type { AuthenticationThrottle, Presenter } from './authentication-throttle';
import { throttledAddress } from './client-address';
import { sameDigest, sha256 } from './secret-comparison';

/** Who is calling: an organisation of the directory and its roles. */
export interface Caller {
  readonly organisationId: string;
  readonly roles: readonly RoleName[];
}

/** The built-in operator organisation that EXCHANGE_OPERATOR_KEY authenticates (contract: Bootstrap). */
export const BOOTSTRAP_OPERATOR: Caller = {
  organisationId: 'exchange-operator',
  roles: ['operator'],
};

/**
 * `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests with
 * timingSafeEqual, so neither a key's length nor its content leaks through timing.
 * An organisation key authenticates while it is not revoked and its organisation is in
 * the directory and active; the caller's roles are the organisation's.
 *
 * Guessing is throttled (`AuthenticationThrottle`): a client past its budget of failed
 * authentications is answered 429 with Retry-After before its key is looked at. The
 * client's address is express's `req.ip`, which honours `X-Forwarded-For` only from the
 * proxies `TRUST_PROXY` names. A request without an Authorization header guesses nothing
 * and is not counted.
 */
export function authenticate(options: {
  operatorKey: string | undefined;
  keys: KeyStore;
  directory: Directory;
  throttle: AuthenticationThrottle;
}): RequestHandler {
  const operatorDigest = options.operatorKey ? sha256(options.operatorKey) : undefined;
  const presenterOf = (req: Request, header: string): Presenter => {
    const address = throttledAddress(req.ip ?? req.socket.remoteAddress);
    // Counted per key id only for keys that exist: random ids would only fill Redis.
    const keyId = keyIdOf(header.replace(/^Bearer /, ''));
    return keyId !== undefined && options.keys.get(keyId) ? { address, keyId } : { address };
  };
  const callerOf = (header: string): Caller | undefined => {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) return undefined;
    if (operatorDigest && sameDigest(sha256(match[1]!), operatorDigest)) return BOOTSTRAP_OPERATOR;
    const parsed = parseKey(match[1]!);
    const record = parsed ? options.keys.get(parsed.keyId) : undefined;
    const organisation = record ? options.directory.get(record.organisationId) : undefined;
    if (!parsed || !keyMatches(record, parsed.secret) || !organisation?.active) return undefined;
    return { organisationId: organisation.id, roles: toOrganisationView(organisation).roles };
  };
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const presenter = presenterOf(req, header);
    const wait = await options.throttle.refusal(presenter);
    if (wait !== undefined) {
      next(
        new RateLimitedError(
          'Too many failed authentications from this client; try again later',
          wait,
        ),
      );
      return;
    }
    const caller = callerOf(header);
    if (caller) {
      res.locals.caller = caller;
      next();
      return;
    }
    if (header === '') {
      next(new NotAuthenticatedError('Send an API key as Authorization: Bearer <key>'));
      return;
    }
    await options.throttle.failed(presenter);
    next(
      new NotAuthenticatedError(
        /^Bearer /.test(header)
          ? 'The API key is not valid'
          : 'Send an API key as Authorization: Bearer <key>',
      ),
    );
  };
}

/** Lets through callers holding one of `roles`; 403 for the others. */
export function requireRole(...roles: RoleName[]): RequestHandler {
  return (_req, res, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) {
      next(new NotAuthenticatedError('Send an API key as Authorization: Bearer <key>'));
      return;
    }
    next(
      caller.roles.some((r) => roles.includes(r))
        ? undefined
        : new NotAllowedError(`This route needs the role ${roles.join(' or ')}`),
    );
  };
}
