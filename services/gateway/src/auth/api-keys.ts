import { randomBytes } from 'node:crypto';
import type { ApiKey } from '@alert-exchange/contracts';
import { sameDigest, sha256 } from './secret-comparison';

/** `axk_<keyId: 16 hex>_<secret: 32 random bytes, base64url>`: 256 bits of entropy. */
const KEY_FORMAT = /^axk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** How many keys an organisation may hold at once (contract: rotation). */
export const ACTIVE_KEYS_PER_ORGANISATION = 2;

export { sha256 };

/** A new key for `organisationId`: the record to store and the key to show once. */
export function issueKey(organisationId: string, now: number): { record: ApiKey; key: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    record: { keyId, organisationId, secretHash: sha256(secret), createdAt: now, revokedAt: null },
    key: `axk_${keyId}_${secret}`,
  };
}

/** The key id a presented text names (for throttling guesses at one key), if any. */
export function keyIdOf(presented: string): string | undefined {
  return /^axk_([0-9a-f]{16})_/.exec(presented)?.[1];
}

/** The key id and secret of a presented key, or undefined when it is not one of ours. */
export function parseKey(presented: string): { keyId: string; secret: string } | undefined {
  const match = KEY_FORMAT.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** True when `secret` matches the stored digest of an active key (constant time). */
export function keyMatches(record: ApiKey | undefined, secret: string): boolean {
  // Hash even when the key id is unknown, so timing does not tell ids apart.
  const presented = sha256(secret);
  if (!record || record.revokedAt !== null) return false;
  return sameDigest(presented, record.secretHash);
}
