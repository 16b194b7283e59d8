import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  formatDemoCredentials,
  parseDemoCredentials,
  type DemoCredential,
} from './demo-credentials';
import { demoFederation, type OrganisationBody } from './demo-federation';

type ShownSecret = NonNullable<DemoCredential['webhookSecret']>;

/** Calls the admin API as the bootstrap operator; fails naming `what` on another status. */
function adminClient(base: string, operatorKey: string) {
  return async <T>(
    what: string,
    method: string,
    path: string,
    expected: number[],
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status))
      throw new Error(`${what} failed: ${response.status} ${text}`);
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/**
 * Creates the demo federation through the admin API at `base` (organisations that exist
 * are kept), issues each organisation a key and records each webhook organisation's
 * signing secret, all written to `file` (git-ignored, mode 600) as they are issued.
 */
export async function seedDemoFederation(
  base: string,
  operatorKey: string,
  file: string,
): Promise<{ total: number; created: number; webhooks: number }> {
  const admin = adminClient(base, operatorKey);
  const credentials = existsSync(file) ? parseDemoCredentials(readFileSync(file, 'utf8')) : {};

  // A webhook organisation seeded by an earlier run whose secret the file lacks: switch it
  // to webhook delivery if needed (which issues a secret), else replace its secrets.
  const replaceWebhookSecret = async (organisation: OrganisationBody): Promise<ShownSecret> => {
    const path = `/v1/admin/organisations/${organisation.id}`;
    const patched = await admin<{ webhookSecret?: ShownSecret }>(
      `switching ${organisation.id} to webhook delivery`,
      'PATCH',
      path,
      [200],
      { delivery: organisation.delivery },
    );
    if (patched.body.webhookSecret) return patched.body.webhookSecret;
    const listed = await admin<{ webhookSecrets: Array<{ secretId: string; revokedAt: unknown }> }>(
      `listing the webhook secrets of ${organisation.id}`,
      'GET',
      `${path}/webhook-secrets`,
      [200],
    );
    for (const s of listed.body.webhookSecrets.filter((s) => s.revokedAt === null)) {
      await admin(
        'revoking a lost webhook secret',
        'DELETE',
        `${path}/webhook-secrets/${s.secretId}`,
        [204],
      );
    }
    const issued = await admin<ShownSecret>(
      `issuing ${organisation.id} a webhook secret`,
      'POST',
      `${path}/webhook-secrets`,
      [201],
      {},
    );
    return issued.body;
  };

  const organisations = demoFederation();
  let created = 0;
  for (const organisation of organisations) {
    const answer = await admin<{ webhookSecret?: ShownSecret }>(
      `seeding ${organisation.id}`,
      'POST',
      '/v1/admin/organisations',
      [201, 409],
      organisation,
    );
    const isNew = answer.status === 201;
    if (isNew) created += 1;
    const known = credentials[organisation.id] ?? {};
    // A new organisation (a fresh stack) holds none of the key and secret the file names.
    const entry: DemoCredential = isNew ? {} : { ...known };
    if (!entry.apiKey) {
      const issued = await admin<{ key: string }>(
        `issuing a key to ${organisation.id}`,
        'POST',
        `/v1/admin/organisations/${organisation.id}/keys`,
        [201],
        {},
      );
      entry.apiKey = issued.body.key;
    }
    if (organisation.delivery.mode === 'webhook' && !entry.webhookSecret) {
      const shown = answer.body.webhookSecret ?? (await replaceWebhookSecret(organisation));
      entry.webhookSecret = { secretId: shown.secretId, secret: shown.secret };
    }
    if (JSON.stringify(entry) !== JSON.stringify(known)) {
      credentials[organisation.id] = entry;
      writeFileSync(file, formatDemoCredentials(credentials), { mode: 0o600 });
    }
  }
  const webhooks = organisations.filter((o) => o.delivery.mode === 'webhook').length;
  return { total: organisations.length, created, webhooks };
}
