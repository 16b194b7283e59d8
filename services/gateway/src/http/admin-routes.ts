import { Router, type Request } from 'express';
import { ConflictError, NotFoundError, validate } from '@alert-exchange/platform';
import { requireRole } from '../auth/authenticate';
import { ACTIVE_KEYS_PER_ORGANISATION, issueKey } from '../auth/api-keys';
import type { Directory, KeyStore } from '../directory/directory';
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

/** Issuing and revoking API keys (contract: Directory, operators only). */
export function keyRoutes(
  directory: Directory,
  keys: KeyStore,
  now: () => number = Date.now,
): Router {
  const router = Router();
  router.post('/v1/admin/organisations/:id/keys', async (req, res) => {
    const id = idOf(req);
    if (!directory.get(id)) throw new NotFoundError(`No organisation ${id}`);
    const active = keys.list().filter((k) => k.organisationId === id && k.revokedAt === null);
    if (active.length >= ACTIVE_KEYS_PER_ORGANISATION) {
      throw new ConflictError(`${id} holds ${active.length} active keys already; revoke one first`);
    }
    const { record, key } = issueKey(id, now());
    await keys.put(record);
    res
      .status(201)
      .json({ keyId: record.keyId, key, createdAt: new Date(record.createdAt).toISOString() });
  });
  router.delete('/v1/admin/organisations/:id/keys/:keyId', async (req, res) => {
    const record = keys.get(String(req.params.keyId));
    if (!record || record.organisationId !== idOf(req))
      throw new NotFoundError(`No key ${String(req.params.keyId)} of ${idOf(req)}`);
    if (record.revokedAt === null) await keys.put({ ...record, revokedAt: now() });
    res.status(204).end();
  });
  return router;
}
