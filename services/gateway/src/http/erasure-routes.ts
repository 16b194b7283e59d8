import { Router, type Response } from 'express';
import { eraseCase, type ErasureLog } from '@alert-exchange/contracts';
import {
  ExchangeError,
  NotFoundError,
  UnavailableError,
  type CaseKeyring,
  type Logger,
} from '@alert-exchange/platform';
import { requireRole, type Caller } from '../auth/authenticate';
import type { CaseStore } from '../cases/case-store';
import { ensureIntact } from './alert-routes';

/** What an operator's erasure works with. */
export interface ErasureRouteDependencies {
  readonly keyring: CaseKeyring;
  /** privacy.erasures: the record of each erasure, written before the keys are destroyed. */
  readonly log: ErasureLog;
  readonly cases: CaseStore;
  /** A fresh id per request: each operator's erasure is a fact of its own. */
  readonly ids: () => string;
  /** Ids only. */
  readonly logger?: Logger;
  readonly now?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An operator erases a case's personal data at once (docs/PRIVACY.md, "Erasure"):
 * `POST /v1/admin/cases/{caseId}/erasure`. The erasure is recorded (CaseErasure, acks=all,
 * an ERASED fact in the audit trail naming the operator) before the case's data keys are
 * destroyed; the answer comes after both. A case the exchange does not know is 404; one
 * erased already is erased again (a second fact, nothing left to destroy).
 */
export function erasureRoutes(deps: ErasureRouteDependencies): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  router.post(
    '/v1/admin/cases/:caseId/erasure',
    requireRole('operator'),
    async (req, res: Response) => {
      const caseId = String(req.params.caseId);
      if (!UUID.test(caseId)) throw new NotFoundError(`No case ${caseId.slice(0, 64)}`);
      await ensureIntact(deps.cases);
      await deps.keyring.sync().catch(unavailable);
      const known = (await deps.cases.load(caseId)) !== undefined;
      if (!known && deps.keyring.keysOf(caseId).length === 0)
        throw new NotFoundError(`No case ${caseId}`);
      const caller = res.locals.caller as Caller;
      const erasure = await eraseCase(
        deps.keyring,
        deps.log,
        {
          caseId,
          erasureId: deps.ids(),
          reason: 'OPERATOR',
          requestedBy: caller.organisationId,
        },
        now(),
      ).catch(unavailable);
      deps.logger?.info(
        {
          caseId,
          erasureId: erasure.erasureId,
          requestedBy: erasure.requestedBy,
          keysDestroyed: erasure.keyIds.length,
        },
        "Case's personal data erased by an operator",
      );
      res.status(200).json({
        caseId,
        erasureId: erasure.erasureId,
        erasedAt: new Date(erasure.at).toISOString(),
        reason: erasure.reason,
        requestedBy: erasure.requestedBy,
        closedAt: erasure.closedAt === null ? null : new Date(erasure.closedAt).toISOString(),
        keysDestroyed: erasure.keyIds.length,
      });
    },
  );
  return router;
}

/**
 * Kafka did not take the record or the tombstones: 503. A record written before the
 * failure is carried out by the router's eraser all the same; asking again is harmless.
 */
function unavailable(error: unknown): never {
  if (error instanceof ExchangeError && !error.retriable) throw error;
  throw new UnavailableError('Kafka did not take the erasure now; try again', {
    cause: error,
    retryAfterSeconds: 10,
  });
}
