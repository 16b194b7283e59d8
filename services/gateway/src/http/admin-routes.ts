import { Router, type Request } from 'express';
import { ConflictError, NotFoundError, validate, type UrlOptions } from '@alert-exchange/platform';
import { requireRole } from '../auth/authenticate';
import { ACTIVE_KEYS_PER_ORGANISATION, issueKey } from '../auth/api-keys';
import { issueWebhookSecret, toIssuedSecretView } from '../auth/webhook-secrets';
import type { Directory, KeyStore, WebhookSecretStore } from '../directory/directory';
import {
  organisationBodies,
  patchedBody,
  toOrganisationRecord,
  toOrganisationView,
} from '../directory/organisation-body';
import { issueWebhookSecretIfNone } from './webhook-secret-routes';

const idOf = (req: Request): string => String(req.params.id);

/**
 * The directory administration routes (contract: Directory, operators only). A webhook
 * organisation's signing secret is in the response that makes it one, once.
 */
export function adminRoutes(
  directory: Directory,
  webhookSecrets: WebhookSecretStore,
  destinations: UrlOptions,
  now: () => number = Date.now,
): Router {
  const router = Router();
  const { body: OrganisationBody, patch: OrganisationPatch } = organisationBodies(destinations);
  router.use('/v1/admin', requireRole('operator'));

  router.post('/v1/admin/organisations', async (req, res) => {
    const body = validate(OrganisationBody, req.body);
    if (directory.get(body.id))
      throw new ConflictError(`The organisation ${body.id} exists already`);
    const record = toOrganisationRecord(body, now());
    // The secret is written before the organisation: a webhook organisation in the
    // directory always has one, and a failed create retried replaces a secret never shown.
    const secret =
      record.delivery.mode === 'WEBHOOK' ? issueWebhookSecret(undefined, record.id, now()) : null;
    if (secret) await webhookSecrets.put(secret.record);
    await directory.put(record);
    res
      .status(201)
      .location(`/v1/admin/organisations/${record.id}`)
      .json({
        ...toOrganisationView(record),
        ...(secret && { webhookSecret: toIssuedSecretView(secret.issued) }),
      });
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
    const id = idOf(req);
    if (!directory.get(id)) throw new NotFoundError(`No organisation ${id}`);
    const patch = validate(OrganisationPatch, req.body);
    // Through update, so a subscription added meanwhile through this instance is kept.
    const record = await directory.update(id, (current) => {
      if (!current) throw new NotFoundError(`No organisation ${id}`);
      const changed = {
        ...toOrganisationRecord(patchedBody(current, patch), now()),
        subscriptions: current.subscriptions,
        active: current.active,
      };
      return { write: changed, result: changed };
    });
    // Issued after the organisation is written: should issuing fail, the next PATCH of a
    // webhook organisation without an active secret issues one, so none is lost unseen.
    const issued =
      record.delivery.mode === 'WEBHOOK'
        ? await issueWebhookSecretIfNone(webhookSecrets, id, now())
        : undefined;
    res.json({
      ...toOrganisationView(record),
      ...(issued && { webhookSecret: toIssuedSecretView(issued) }),
    });
  });

  router.delete('/v1/admin/organisations/:id', async (req, res) => {
    const id = idOf(req);
    if (!directory.get(id)) throw new NotFoundError(`No organisation ${id}`);
    // Secrets first: should the organisation's tombstone fail, a retry finds it and
    // tombstones both.
    if (webhookSecrets.get(id)) await webhookSecrets.remove(id);
    await directory.remove(id);
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
