import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalRecord } from './canonical';
import { appendFact } from './chain';
import {
  checkpointMessage,
  checkpointOf,
  checkpointProblem,
  checkpointView,
  keysFromPem,
  keysFromSeed,
  publicKeyFromBase64,
  publicKeyToBase64,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from './checkpoint';
import { treeRoot } from './merkle';

/** RFC 8032 §7.1, TEST 1: a seed, its public key and the signature of the empty message. */
const RFC8032 = {
  seed: Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
  publicKey: Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'),
  signature: Buffer.from(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    'hex',
  ),
};

const KEYS = keysFromSeed(RFC8032.seed.toString('base64'));
const OTHER = generateKeyPairSync('ed25519');

const CHECKPOINT: Checkpoint = {
  treeSize: 25,
  rootHash: 'ab'.repeat(32),
  timestamp: 1_700_000_000_000,
};

describe('checkpointMessage', () => {
  it('is four lines: origin, size, root in hex, timestamp, each ending in a line feed', () => {
    expect(checkpointMessage(CHECKPOINT).toString('latin1')).toBe(
      `alert-exchange audit checkpoint v1\n25\n${'ab'.repeat(32)}\n1700000000000\n`,
    );
  });

  it.each<[what: string, change: Partial<Checkpoint>, problem: RegExp]>([
    ['a negative size', { treeSize: -1 }, /treeSize/],
    ['a fractional size', { treeSize: 1.5 }, /treeSize/],
    ['an upper-case root', { rootHash: 'AB'.repeat(32) }, /rootHash/],
    ['a short root', { rootHash: 'ab'.repeat(31) }, /rootHash/],
    ['a root in base64', { rootHash: Buffer.alloc(32).toString('base64') }, /rootHash/],
    ['a timestamp in seconds with a fraction', { timestamp: 1_700_000_000.5 }, /timestamp/],
    ['a negative timestamp', { timestamp: -1 }, /timestamp/],
  ])('refuses %s', (_what, change, problem) => {
    const c = { ...CHECKPOINT, ...change };
    expect(checkpointProblem(c)).toMatch(problem);
    expect(() => checkpointMessage(c)).toThrow(RangeError);
    expect(() => signCheckpoint(c, KEYS.privateKey)).toThrow(RangeError);
    expect(verifyCheckpoint(c, signCheckpoint(CHECKPOINT, KEYS.privateKey), KEYS.publicKey)).toBe(
      false,
    );
  });
});

describe('signCheckpoint and verifyCheckpoint', () => {
  const signature = signCheckpoint(CHECKPOINT, KEYS.privateKey);

  it('is pure Ed25519 over the message, in standard base64', () => {
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    const direct = sign(null, checkpointMessage(CHECKPOINT), KEYS.privateKey);
    expect(Buffer.from(signature, 'base64')).toEqual(direct);
    expect(verifyCheckpoint(CHECKPOINT, signature, KEYS.publicKey)).toBe(true);
  });

  it.each<[what: string, c: Checkpoint, sig: string, key: KeyObject]>([
    ['another size', { ...CHECKPOINT, treeSize: 26 }, signature, KEYS.publicKey],
    ['another root', { ...CHECKPOINT, rootHash: 'cd'.repeat(32) }, signature, KEYS.publicKey],
    ['another time', { ...CHECKPOINT, timestamp: 1_700_000_000_001 }, signature, KEYS.publicKey],
    ['another key', CHECKPOINT, signature, OTHER.publicKey],
    [
      'a signature by another key',
      CHECKPOINT,
      signCheckpoint(CHECKPOINT, OTHER.privateKey),
      KEYS.publicKey,
    ],
    ['a flipped signature bit', CHECKPOINT, flipBase64(signature), KEYS.publicKey],
    ['a truncated signature', CHECKPOINT, signature.slice(0, 84), KEYS.publicKey],
    ['an empty signature', CHECKPOINT, '', KEYS.publicKey],
    [
      'a signature in hex',
      CHECKPOINT,
      Buffer.from(signature, 'base64').toString('hex'),
      KEYS.publicKey,
    ],
    ['a non-Ed25519 key', CHECKPOINT, signature, generateKeyPairSync('x25519').publicKey],
  ])('rejects %s', (_what, c, sig, key) => {
    expect(verifyCheckpoint(c, sig, key)).toBe(false);
  });
});

describe('keys from configuration', () => {
  it('a seed gives the RFC 8032 key pair, which signs as the RFC says', () => {
    expect(publicKeyToBase64(KEYS.publicKey)).toBe(RFC8032.publicKey.toString('base64'));
    expect(sign(null, Buffer.alloc(0), KEYS.privateKey)).toEqual(RFC8032.signature);
  });

  it('a PEM private key gives the same pair as its seed', () => {
    const pem = KEYS.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const fromPem = keysFromPem(pem);
    expect(publicKeyToBase64(fromPem.publicKey)).toBe(publicKeyToBase64(KEYS.publicKey));
    const signature = signCheckpoint(CHECKPOINT, fromPem.privateKey);
    expect(verifyCheckpoint(CHECKPOINT, signature, KEYS.publicKey)).toBe(true);
  });

  it('the public key round-trips through its raw base64', () => {
    const raw = publicKeyToBase64(OTHER.publicKey);
    expect(Buffer.from(raw, 'base64')).toHaveLength(32);
    const signature = signCheckpoint(CHECKPOINT, OTHER.privateKey);
    expect(verifyCheckpoint(CHECKPOINT, signature, publicKeyFromBase64(raw))).toBe(true);
  });

  it.each<[what: string, seed: string]>([
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['hex', RFC8032.seed.toString('hex')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['empty', ''],
  ])('refuses a seed in %s, without repeating it', (_what, seed) => {
    expect(() => keysFromSeed(seed)).toThrow(RangeError);
    try {
      keysFromSeed(seed);
    } catch (e) {
      if (seed) expect((e as Error).message).not.toContain(seed);
    }
  });

  it.each<[what: string, pem: string]>([
    ['an RSA key', rsaPem()],
    [
      'an X25519 key',
      generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ],
    ['a public key', OTHER.publicKey.export({ format: 'pem', type: 'spki' }).toString()],
    ['garbage', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n'],
  ])('refuses %s as the signing key', (_what, pem) => {
    expect(() => keysFromPem(pem)).toThrow(RangeError);
  });

  it.each(['', 'abc', Buffer.alloc(31).toString('base64')])('refuses %p as a public key', (raw) => {
    expect(() => publicKeyFromBase64(raw)).toThrow(RangeError);
  });
});

describe('checkpointOf and checkpointView', () => {
  const records: AuditRecord[] = [];
  for (let n = 0; n < 5; n++) {
    records.push(
      appendFact(records.at(-1), {
        at: n,
        kind: 'RECEIVED',
        actor: 'gateway',
        caseId: null,
        recipient: null,
        deliveryId: null,
        eventId: `e-${n}`,
        detail: {},
        traceId: null,
      }),
    );
  }

  it.each([0, 1, 3, 5])(
    'the checkpoint of %i records has the root of their canonical bytes',
    (n) => {
      const root = treeRoot(records.slice(0, n).map(canonicalRecord)).toString('hex');
      expect(checkpointOf(records, 42, n)).toEqual({ treeSize: n, rootHash: root, timestamp: 42 });
    },
  );

  it('covers every record by default and refuses more than there are', () => {
    expect(checkpointOf(records, 42).treeSize).toBe(5);
    expect(() => checkpointOf(records, 42, 6)).toThrow(RangeError);
  });

  it('the view is what GET /v1/audit/checkpoints/latest returns, and it verifies', () => {
    const c = checkpointOf(records, 42);
    const view = checkpointView(c, signCheckpoint(c, KEYS.privateKey), KEYS.publicKey);
    expect(Object.keys(view).sort()).toEqual(
      ['publicKey', 'rootHash', 'signature', 'timestamp', 'treeSize'].sort(),
    );
    const { signature, publicKey, ...checkpoint } = view;
    expect(verifyCheckpoint(checkpoint, signature, publicKeyFromBase64(publicKey))).toBe(true);
  });
});

function flipBase64(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[10] = bytes[10]! ^ 1;
  return bytes.toString('base64');
}

function rsaPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
