import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { NotAllowedError, NotAuthenticatedError } from '@alert-exchange/platform';
import type { Directory, KeyStore } from '../directory/directory';
import { toOrganisationView, type RoleName } from '../directory/organisation-body';
import { keyMatches, parseKey, sha256 } from './api-keys';

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
 */
export function authenticate(options: {
  operatorKey: string | undefined;
  keys: KeyStore;
  directory: Directory;
}): RequestHandler {
  const operatorDigest = options.operatorKey ? sha256(options.operatorKey) : undefined;
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) {
      next(new NotAuthenticatedError('Send an API key as Authorization: Bearer <key>'));
      return;
    }
    if (operatorDigest && timingSafeEqual(sha256(match[1]!), operatorDigest)) {
      res.locals.caller = BOOTSTRAP_OPERATOR;
      next();
      return;
    }
    const parsed = parseKey(match[1]!);
    const record = parsed ? options.keys.get(parsed.keyId) : undefined;
    const organisation = record ? options.directory.get(record.organisationId) : undefined;
    if (parsed && keyMatches(record, parsed.secret) && organisation?.active) {
      res.locals.caller = {
        organisationId: organisation.id,
        roles: toOrganisationView(organisation).roles,
      } satisfies Caller;
      next();
      return;
    }
    next(new NotAuthenticatedError('The API key is not valid'));
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
