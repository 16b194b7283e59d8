import { Router } from 'express';
import { ProofUnavailable, trailCsv, type AuditIndex } from '@alert-exchange/audit';
import { ConflictError, NotFoundError, validate } from '@alert-exchange/platform';
import { requireRole } from '../auth/authenticate';
import {
  CaseTrailQuery,
  CompletenessQuery,
  DeliveriesQuery,
  ProofQuery,
} from '../audit/audit-queries';

/** What the audit routes read: the audit service's query index in Redis. */
export interface AuditRouteDependencies {
  readonly index: AuditIndex;
  readonly now?: () => number;
}

/**
 * The audit API (../shared/CONTRACT.md, Audit) for auditors and operators. It reads the
 * index the audit service keeps in Redis (docs/AUDIT.md): facts of the trail, which hold
 * organisations, times, reasons and states, never the child's personal data. The trail
 * itself is in Kafka; the index is rebuilt from it with `exchange-audit rebuild-index`.
 */
export function auditRoutes(deps: AuditRouteDependencies): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const auditors = requireRole('auditor', 'operator');

  router.get('/v1/audit/cases/:caseId', auditors, async (req, res) => {
    const { params, query } = validate(
      CaseTrailQuery,
      { params: req.params, query: req.query },
      'The request',
    );
    const entries = await deps.index.caseTrail(params.caseId);
    if (entries.length === 0) throw new NotFoundError(`No audit trail for case ${params.caseId}`);
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`case-${params.caseId}-trail.csv`)
        .send(trailCsv(entries));
      return;
    }
    res.json({ caseId: params.caseId, entries });
  });

  router.get('/v1/audit/deliveries', auditors, async (req, res) => {
    const { query } = validate(DeliveriesQuery, { query: req.query }, 'The query');
    res.json({ deliveries: await deps.index.unacknowledged(query.olderThan, now()) });
  });

  router.get('/v1/audit/checkpoints/latest', auditors, async (_req, res) => {
    const checkpoint = await deps.index.latestCheckpoint();
    if (!checkpoint) throw new NotFoundError('No checkpoint has been signed yet');
    res.json(checkpoint);
  });

  router.get('/v1/audit/records/:seq/proof', auditors, async (req, res) => {
    const { params } = validate(ProofQuery, { params: req.params }, 'The request');
    try {
      res.json(await deps.index.proof(params.seq));
    } catch (error) {
      if (!(error instanceof ProofUnavailable)) throw error;
      if (error.reason === 'NOT_YET_CHECKPOINTED') throw new ConflictError(error.message);
      throw new NotFoundError(error.message);
    }
  });

  router.get('/v1/audit/completeness', auditors, async (req, res) => {
    const { query } = validate(CompletenessQuery, { query: req.query }, 'The query');
    res.json(await deps.index.completeness(query.from, query.to));
  });

  return router;
}
