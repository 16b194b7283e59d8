import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalRecord } from './canonical';
import { treeRoot } from './merkle';

/**
 * A checkpoint: the log's size and Merkle root at a moment, signed with Ed25519 so an
 * auditor holding only the public key can tell the log was not rewritten since.
 */
export interface Checkpoint {
  /** How many records, from seq 0, the tree covers. */
  treeSize: number;
  /** RFC 9162 root of those records' canonical bytes, 64 lower-case hex digits. */
  rootHash: string;
  /** When the checkpoint was made, milliseconds since the Unix epoch. */
  timestamp: number;
}

/**
 * The body of `GET /v1/audit/checkpoints/latest`. `timestamp` is part of the signed message,
 * so it travels with the checkpoint: without it the signature cannot be checked.
 */
export interface CheckpointView extends Checkpoint {
  /** Ed25519 signature of `checkpointMessage`, standard base64 (88 characters). */
  signature: string;
  /** The raw 32-byte Ed25519 public key, standard base64 (44 characters). */
  publicKey: string;
}

/** An Ed25519 key pair for signing checkpoints. */
export interface CheckpointKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** First line of the signed message: names the log and the format version. */
export const CHECKPOINT_ORIGIN = 'alert-exchange audit checkpoint v1';

// DER prefixes of an Ed25519 key (RFC 8410): PKCS #8 before a 32-byte seed, SPKI before
// a 32-byte public key. With them node:crypto takes the raw forms configuration carries.
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The exact bytes signed: four lines of ASCII, each ending in a line feed (0x0A):
 *
 * ```
 * alert-exchange audit checkpoint v1
 * <treeSize in decimal, no sign or leading zeros>
 * <rootHash as 64 lower-case hex digits>
 * <timestamp in decimal milliseconds since the Unix epoch>
 * ```
 *
 * The signature is pure Ed25519 (RFC 8032, no pre-hash, no context) over these bytes.
 * Throws a RangeError for a checkpoint that has no such form.
 */
export function checkpointMessage(c: Checkpoint): Buffer {
  const problem = checkpointProblem(c);
  if (problem) throw new RangeError(problem);
  return Buffer.from(`${CHECKPOINT_ORIGIN}\n${c.treeSize}\n${c.rootHash}\n${c.timestamp}\n`);
}

/** Why a checkpoint cannot be signed or verified, or undefined when it is well formed. */
export function checkpointProblem(c: Checkpoint): string | undefined {
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0) {
    return 'treeSize must be an integer from 0';
  }
  if (typeof c.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.rootHash)) {
    return 'rootHash must be 64 lower-case hex digits';
  }
  if (!Number.isSafeInteger(c.timestamp) || c.timestamp < 0) {
    return 'timestamp must be an integer number of milliseconds from 0';
  }
  return undefined;
}

/** The checkpoint of the first `treeSize` records (all of them by default) at `timestamp`. */
export function checkpointOf(
  records: readonly AuditRecord[],
  timestamp: number,
  treeSize = records.length,
): Checkpoint {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > records.length) {
    throw new RangeError(`cannot make a checkpoint of ${treeSize} of ${records.length} records`);
  }
  const leaves = records.slice(0, treeSize).map(canonicalRecord);
  return { treeSize, rootHash: treeRoot(leaves).toString('hex'), timestamp };
}

/** Signs the checkpoint; the standard base64 of the 64-byte Ed25519 signature. */
export function signCheckpoint(c: Checkpoint, privateKey: KeyObject): string {
  requireEd25519(privateKey, 'private');
  return sign(null, checkpointMessage(c), privateKey).toString('base64');
}

/**
 * Whether `signature` (standard base64) is the key's Ed25519 signature of the checkpoint.
 * A malformed checkpoint, signature or key verifies nothing rather than throwing: all three
 * may come from outside.
 */
export function verifyCheckpoint(c: Checkpoint, signature: string, publicKey: KeyObject): boolean {
  if (checkpointProblem(c) || publicKey.asymmetricKeyType !== 'ed25519') return false;
  const bytes = strictBase64(signature, 64);
  if (!bytes) return false;
  try {
    return verify(null, checkpointMessage(c), publicKey, bytes);
  } catch {
    return false;
  }
}

/** The body of `GET /v1/audit/checkpoints/latest` for a checkpoint and its signature. */
export function checkpointView(
  c: Checkpoint,
  signature: string,
  publicKey: KeyObject,
): CheckpointView {
  return { ...c, signature, publicKey: publicKeyToBase64(publicKey) };
}

/** Reads an Ed25519 private key in PEM (PKCS #8, `BEGIN PRIVATE KEY`) with its public key. */
export function keysFromPem(pem: string): CheckpointKeys {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    // The message of node:crypto is kept out: the PEM is a secret.
    throw new RangeError('the checkpoint signing key is not a PEM private key');
  }
  requireEd25519(privateKey, 'private');
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Makes the Ed25519 key pair of a 32-byte seed given in standard base64 (RFC 8032 §5.1.5:
 * the seed is the private key), the form a secret in the environment takes.
 */
export function keysFromSeed(seedBase64: string): CheckpointKeys {
  const seed = strictBase64(seedBase64.trim(), 32);
  if (!seed) throw new RangeError('the checkpoint signing seed must be 32 bytes in base64');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_SEED_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The raw 32-byte Ed25519 public key in standard base64, as auditors are given it. */
export function publicKeyToBase64(publicKey: KeyObject): string {
  requireEd25519(publicKey, 'public');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return spki.subarray(SPKI_PREFIX.length).toString('base64');
}

/** The Ed25519 public key of its raw 32 bytes in standard base64; throws when it is not. */
export function publicKeyFromBase64(raw: string): KeyObject {
  const bytes = strictBase64(raw.trim(), 32);
  if (!bytes) throw new RangeError('an Ed25519 public key is 32 bytes in base64');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
}

/** The bytes of canonical standard base64 of exactly `length` bytes, or undefined. */
function strictBase64(text: string, length: number): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === length && bytes.toString('base64') === text ? bytes : undefined;
}

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new RangeError(`expected an Ed25519 ${type} key`);
  }
}
