import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ExchangeError } from '../errors';

/** AES-256-GCM: a 32-byte key, a 96-bit nonce, a 128-bit tag. */
const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Bytes sealed with AES-256-GCM under one key: the tag is the last 16 bytes of `ciphertext`. */
export interface Sealed {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * Sealed bytes that do not open: another key, another context, or bytes changed. Never
 * retriable: the same bytes under the same key will not open later either.
 */
export class SealBrokenError extends ExchangeError {}

/** A fresh random key, for a case's personal data or a test's master key. */
export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * The additional authenticated data: the key's id and what the bytes belong to (a case
 * id), so that sealed bytes moved to another case, or relabelled with another key id, do
 * not open.
 */
const aadOf = (keyId: string, context: string): Buffer =>
  Buffer.from(`${keyId.length}:${keyId}|${context}`, 'utf8');

/** Seals `plain` under `key` (named `keyId`), bound to `context`. A fresh nonce each time. */
export function seal(plain: Buffer, key: Buffer, keyId: string, context: string): Sealed {
  if (key.length !== KEY_BYTES) throw new RangeError(`A key is ${KEY_BYTES} bytes`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(keyId, context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { keyId, iv, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Opens what `seal` sealed with the same key and context, or throws SealBrokenError. */
export function open(sealed: Sealed, key: Buffer, context: string): Buffer {
  if (
    key.length !== KEY_BYTES ||
    sealed.iv.length !== IV_BYTES ||
    sealed.ciphertext.length < TAG_BYTES
  )
    throw new SealBrokenError(`Sealed bytes under key ${sealed.keyId} are malformed`);
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(sealed.keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    // The message names the key, never the bytes.
    throw new SealBrokenError(`Sealed bytes under key ${sealed.keyId} do not open`, { cause });
  }
}
