import type { WebhookSecrets } from '@alert-exchange/contracts';
import { ConflictError } from '@alert-exchange/platform';
import {
  REVOKED_WEBHOOK_SECRETS_KEPT,
  WEBHOOK_SECRET_FORMAT,
  activeSecrets,
  issueWebhookSecret,
  revokeWebhookSecret,
  toIssuedSecretView,
  toSecretInfoView,
} from './webhook-secrets';

describe('webhook signing secrets', () => {
  const { record, issued } = issueWebhookSecret(undefined, 'ngo-de-1', 1_000);

  it('are Standard Webhooks secrets: whsec_ and the base64 of 32 random bytes', () => {
    expect(issued.secret).toMatch(WEBHOOK_SECRET_FORMAT);
    expect(Buffer.from(issued.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(issued.secretId).toMatch(/^[0-9a-f]{16}$/);
    expect(record).toEqual({ organisationId: 'ngo-de-1', secrets: [issued], updatedAt: 1_000 });
  });

  it('are all different', () => {
    const secrets = new Set(
      Array.from({ length: 200 }, () => issueWebhookSecret(undefined, 'x', 0).issued.secret),
    );
    expect(secrets.size).toBe(200);
  });

  it('two may be active at once, newest first; a third is a conflict', () => {
    const second = issueWebhookSecret(record, 'ngo-de-1', 2_000);
    expect(activeSecrets(second.record).map((s) => s.secretId)).toEqual([
      second.issued.secretId,
      issued.secretId,
    ]);
    expect(() => issueWebhookSecret(second.record, 'ngo-de-1', 3_000)).toThrow(ConflictError);
  });

  it('a revoked secret stops counting, loses its value and makes room for a new one', () => {
    const second = issueWebhookSecret(record, 'ngo-de-1', 2_000);
    const revoked = revokeWebhookSecret(second.record, issued.secretId, 3_000)!;
    expect(activeSecrets(revoked).map((s) => s.secretId)).toEqual([second.issued.secretId]);
    expect(revoked.secrets.find((s) => s.secretId === issued.secretId)).toEqual({
      ...issued,
      secret: '',
      revokedAt: 3_000,
    });
    expect(JSON.stringify(revoked)).not.toContain(issued.secret);
    expect(revoked.updatedAt).toBe(3_000);
    const third = issueWebhookSecret(revoked, 'ngo-de-1', 4_000);
    expect(activeSecrets(third.record)).toHaveLength(2);
  });

  it.each<[string, WebhookSecrets | undefined, string, 'unknown' | 'unchanged']>([
    ['no record', undefined, 'abc', 'unknown'],
    ['an unknown id', record, 'ffffffffffffffff', 'unknown'],
    [
      'an already revoked secret',
      revokeWebhookSecret(record, issued.secretId, 5_000),
      issued.secretId,
      'unchanged',
    ],
  ])('revoking with %s changes nothing', (_name, current, secretId, outcome) => {
    const result = revokeWebhookSecret(current, secretId, 9_000);
    if (outcome === 'unknown') expect(result).toBeUndefined();
    else expect(result).toBe(current);
  });

  it(`keeps only the newest ${REVOKED_WEBHOOK_SECRETS_KEPT} revoked secrets`, () => {
    let current: WebhookSecrets | undefined;
    const ids: string[] = [];
    for (let n = 0; n < REVOKED_WEBHOOK_SECRETS_KEPT + 3; n++) {
      const next = issueWebhookSecret(current, 'ngo-de-1', n * 10);
      ids.push(next.issued.secretId);
      current = revokeWebhookSecret(next.record, next.issued.secretId, n * 10 + 1);
    }
    expect(current!.secrets.map((s) => s.secretId)).toEqual(ids.slice(3));
    expect(activeSecrets(current)).toEqual([]);
  });

  it('show the value only in the once-only view', () => {
    expect(toIssuedSecretView(issued)).toEqual({
      secretId: issued.secretId,
      secret: issued.secret,
      createdAt: '1970-01-01T00:00:01.000Z',
    });
    expect(JSON.stringify(toSecretInfoView(issued))).not.toContain('whsec_');
    expect(toSecretInfoView({ ...issued, revokedAt: 2_000 }).revokedAt).toBe(
      '1970-01-01T00:00:02.000Z',
    );
  });
});
