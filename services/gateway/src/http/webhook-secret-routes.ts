import { Router, type Request } from 'express';
import type { WebhookSecret } from '@alert-exchange/contracts';
import { ConflictError, NotFoundError } from '@alert-exchange/platform';
import { requireRole } from '../auth/authenticate';
import {
  activeSecrets,
  issueWebhookSecret,
  revokeWebhookSecret,
  toIssuedSecretView,
  toSecretInfoView,
} from '../auth/webhook-secrets';
import type { Directory, WebhookSecretStore } from '../directory/directory';

const idOf = (req: Request): string => String(req.params.id);

/**
 * Issues a secret to webhook organisation `id` when it holds no active one (a PATCH that
 * switches it to webhook delivery); the secret to show once, or undefined.
 */
export function issueWebhookSecretIfNone(
  webhookSecrets: WebhookSecretStore,
  id: string,
  now: number,
): Promise<WebhookSecret | undefined> {
  return webhookSecrets.update(id, (current) => {
    if (activeSecrets(current).length > 0) return { result: undefined };
    const { record, issued } = issueWebhookSecret(current, id, now);
    return { write: record, result: issued };
  });
}

/**
 * Rotating webhook signing secrets (contract: Directory, operators only): list them
 * without their values, issue one (shown once; two active at most) and revoke one.
 */
export function webhookSecretRoutes(
  directory: Directory,
  webhookSecrets: WebhookSecretStore,
  now: () => number = Date.now,
): Router {
  const router = Router();
  const operator = requireRole('operator');
  const path = '/v1/admin/organisations/:id/webhook-secrets';

  router.get(path, operator, (req, res) => {
    const id = idOf(req);
    if (!directory.get(id)) throw new NotFoundError(`No organisation ${id}`);
    const secrets = [...(webhookSecrets.get(id)?.secrets ?? [])].sort(
      (a, b) => b.createdAt - a.createdAt,
    );
    res.json({ webhookSecrets: secrets.map(toSecretInfoView) });
  });

  router.post(path, operator, async (req, res) => {
    const id = idOf(req);
    const organisation = directory.get(id);
    if (!organisation) throw new NotFoundError(`No organisation ${id}`);
    if (organisation.delivery.mode !== 'WEBHOOK')
      throw new ConflictError(`${id} receives by pull; webhook secrets are for webhook delivery`);
    const issued = await webhookSecrets.update(id, (current) => {
      const { record, issued } = issueWebhookSecret(current, id, now());
      return { write: record, result: issued };
    });
    res.status(201).json(toIssuedSecretView(issued));
  });

  router.delete(`${path}/:secretId`, operator, async (req, res) => {
    const id = idOf(req);
    const secretId = String(req.params.secretId);
    await webhookSecrets.update(id, (current) => {
      const revoked = revokeWebhookSecret(current, secretId, now());
      if (!revoked) throw new NotFoundError(`No webhook secret ${secretId} of ${id}`);
      // Revoking a revoked secret again changes nothing (idempotent, like API keys).
      return revoked === current ? { result: undefined } : { write: revoked, result: undefined };
    });
    res.status(204).end();
  });
  return router;
}
