import { createHash, timingSafeEqual } from 'node:crypto';

/** The SHA-256 digest of a secret's UTF-8 text. */
export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when two digests are equal, compared in constant time (crypto.timingSafeEqual).
 * Digests of one algorithm have one length, so a length that differs says nothing secret
 * and is simply unequal; timingSafeEqual itself throws on unequal lengths.
 */
export function sameDigest(presented: Buffer, expected: Buffer): boolean {
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * True when two secrets are equal. Both are hashed first, so the comparison runs over
 * buffers of one length and its time tells neither the secret's length nor how much of
 * it matched. Every comparison of a secret the exchange makes goes through here or
 * `sameDigest`: never `===` (auth/secret-comparison.test.ts scans the sources for it).
 */
export function sameSecret(presented: string, expected: string): boolean {
  return sameDigest(sha256(presented), sha256(expected));
}
