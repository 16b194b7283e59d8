import { issueKey, keyMatches, parseKey } from './api-keys';

describe('API keys', () => {
  const { record, key } = issueKey('hotline-de', 1_000);

  it('are shown once in a fixed format and stored only as a digest', () => {
    expect(key).toMatch(/^axk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(record)).not.toContain(key.slice(21));
    expect(record).toMatchObject({
      organisationId: 'hotline-de',
      createdAt: 1_000,
      revokedAt: null,
    });
  });

  it('are all different', () => {
    const keys = new Set(Array.from({ length: 200 }, () => issueKey('x', 0).key));
    expect(keys.size).toBe(200);
  });

  it.each([
    ['the issued key', (k: string) => k, true],
    [
      'a key with one character changed',
      (k: string) => k.slice(0, -1) + (k.endsWith('A') ? 'B' : 'A'),
      false,
    ],
    ['a truncated key', (k: string) => k.slice(0, -2), false],
    ['the bootstrap-looking text', () => 'operator', false],
  ])('%s is accepted: %s', (_name, alter, accepted) => {
    const parsed = parseKey(alter(key));
    expect(
      parsed !== undefined && parsed.keyId === record.keyId && keyMatches(record, parsed.secret),
    ).toBe(accepted);
  });

  it('a revoked key no longer matches', () => {
    const parsed = parseKey(key)!;
    expect(keyMatches({ ...record, revokedAt: 2_000 }, parsed.secret)).toBe(false);
    expect(keyMatches(undefined, parsed.secret)).toBe(false);
  });
});
