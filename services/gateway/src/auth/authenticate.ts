import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { NotAllowedError, NotAuthenticatedError } from '@alert-exchange/platform';
import type { RoleName } from '../directory/organisation-body';

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

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests with
 * timingSafeEqual, so neither a key's length nor its content leaks through timing.
 * Today only the bootstrap operator key is known; organisation keys come with the keys API.
 */
export function authenticate(options: { operatorKey: string | undefined }): RequestHandler {
  const operatorDigest = options.operatorKey ? digest(options.operatorKey) : undefined;
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) {
      next(new NotAuthenticatedError('Send an API key as Authorization: Bearer <key>'));
      return;
    }
    if (operatorDigest && timingSafeEqual(digest(match[1]!), operatorDigest)) {
      res.locals.caller = BOOTSTRAP_OPERATOR;
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
