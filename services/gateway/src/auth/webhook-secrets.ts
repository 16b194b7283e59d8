import { randomBytes } from 'node:crypto';
import type { WebhookSecret, WebhookSecrets } from '@alert-exchange/contracts';
import { ConflictError } from '@alert-exchange/platform';

/**
 * Standard Webhooks secrets: `whsec_` and the base64 of 32 random bytes; the bytes after
 * base64-decoding are the HMAC-SHA256 key that signs "id.timestamp.body".
 */
export const WEBHOOK_SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** How many secrets may be valid at once: the dispatcher signs with each, recipients verify with either. */
export const ACTIVE_WEBHOOK_SECRETS_PER_ORGANISATION = 2;

/** How many revoked secrets (ids and dates, never values) a record keeps for operators. */
export const REVOKED_WEBHOOK_SECRETS_KEPT = 8;

/** The secrets of `record` that are not revoked, newest first (the dispatcher signs with each). */
export function activeSecrets(record: WebhookSecrets | undefined): WebhookSecret[] {
  return (record?.secrets ?? [])
    .filter((s) => s.revokedAt === null)
    .sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Adds a new secret to `current` (or starts a record for `organisationId`): the record to
 * store and the secret to show once. A ConflictError when two are active already.
 */
export function issueWebhookSecret(
  current: WebhookSecrets | undefined,
  organisationId: string,
  now: number,
): { record: WebhookSecrets; issued: WebhookSecret } {
  const active = activeSecrets(current).length;
  if (active >= ACTIVE_WEBHOOK_SECRETS_PER_ORGANISATION) {
    throw new ConflictError(
      `${organisationId} holds ${active} active webhook secrets already; revoke one first`,
    );
  }
  const issued: WebhookSecret = {
    secretId: randomBytes(8).toString('hex'),
    secret: `whsec_${randomBytes(32).toString('base64')}`,
    createdAt: now,
    revokedAt: null,
  };
  return {
    record: { organisationId, secrets: [...(current?.secrets ?? []), issued], updatedAt: now },
    issued,
  };
}

/**
 * `current` with secret `secretId` revoked, or undefined when it has no such secret. A
 * revoked secret keeps its id and dates but loses its value, which nothing needs any more;
 * only the newest REVOKED_WEBHOOK_SECRETS_KEPT revoked secrets are kept. Revoking a revoked
 * secret returns `current` itself, so the caller can tell that nothing changed.
 */
export function revokeWebhookSecret(
  current: WebhookSecrets | undefined,
  secretId: string,
  now: number,
): WebhookSecrets | undefined {
  const target = current?.secrets.find((s) => s.secretId === secretId);
  if (!current || !target) return undefined;
  if (target.revokedAt !== null) return current;
  const secrets = current.secrets.map((s) =>
    s.secretId === secretId ? { ...s, secret: '', revokedAt: now } : s,
  );
  const keptRevoked = new Set(
    secrets
      .filter((s) => s.revokedAt !== null)
      .sort((a, b) => (b.revokedAt ?? 0) - (a.revokedAt ?? 0))
      .slice(0, REVOKED_WEBHOOK_SECRETS_KEPT)
      .map((s) => s.secretId),
  );
  return {
    ...current,
    secrets: secrets.filter((s) => s.revokedAt === null || keptRevoked.has(s.secretId)),
    updatedAt: now,
  };
}

/** The once-only API view of a newly issued secret. */
export function toIssuedSecretView(issued: WebhookSecret): {
  secretId: string;
  secret: string;
  createdAt: string;
} {
  return {
    secretId: issued.secretId,
    secret: issued.secret,
    createdAt: new Date(issued.createdAt).toISOString(),
  };
}

/** The API view of a stored secret, without its value. */
export function toSecretInfoView(stored: WebhookSecret): {
  secretId: string;
  createdAt: string;
  revokedAt: string | null;
} {
  return {
    secretId: stored.secretId,
    createdAt: new Date(stored.createdAt).toISOString(),
    revokedAt: stored.revokedAt === null ? null : new Date(stored.revokedAt).toISOString(),
  };
}
