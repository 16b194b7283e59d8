import { Router, type Request } from 'express';
import { ConflictError, NotFoundError, validate } from '@alert-exchange/platform';
import { requireRole } from '../auth/authenticate';
import type { Directory } from '../directory/directory';
import {
  OrganisationBody,
  OrganisationPatch,
  patchedBody,
  toOrganisationRecord,
  toOrganisationView,
} from '../directory/organisation-body';

const idOf = (req: Request): string => String(req.params.id);

/** The directory administration routes (contract: Directory, operators only). */
export function adminRoutes(directory: Directory, now: () => number = Date.now): Router {
  const router = Router();
  router.use('/v1/admin', requireRole('operator'));

  router.post('/v1/admin/organisations', async (req, res) => {
    const body = validate(OrganisationBody, req.body);
    if (directory.get(body.id))
      throw new ConflictError(`The organisation ${body.id} exists already`);
    const record = toOrganisationRecord(body, now());
    await directory.put(record);
    res
      .status(201)
      .location(`/v1/admin/organisations/${record.id}`)
      .json(toOrganisationView(record));
  });

  router.get('/v1/admin/organisations', (_req, res) => {
    res.json({ organisations: directory.list().map(toOrganisationView) });
  });

  router.get('/v1/admin/organisations/:id', (req, res) => {
    const record = directory.get(idOf(req));
    if (!record) throw new NotFoundError(`No organisation ${idOf(req)}`);
    res.json(toOrganisationView(record));
  });

  router.patch('/v1/admin/organisations/:id', async (req, res) => {
    const current = directory.get(idOf(req));
    if (!current) throw new NotFoundError(`No organisation ${idOf(req)}`);
    const patch = validate(OrganisationPatch, req.body);
    const record = {
      ...toOrganisationRecord(patchedBody(current, patch), now()),
      subscriptions: current.subscriptions,
      active: current.active,
    };
    await directory.put(record);
    res.json(toOrganisationView(record));
  });

  router.delete('/v1/admin/organisations/:id', async (req, res) => {
    if (!directory.get(idOf(req))) throw new NotFoundError(`No organisation ${idOf(req)}`);
    await directory.remove(idOf(req));
    res.status(204).end();
  });
  return router;
}
