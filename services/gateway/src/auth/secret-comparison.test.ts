import type * as Crypto from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sameDigest, sameSecret, sha256 } from './secret-comparison';

// The module object itself (an import * would be a copy): secret-comparison.ts looks
// timingSafeEqual up on it at each call, so a spy here sees those calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('node:crypto') as typeof Crypto;

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const digestA = sha256('axk_ngo-lu_correct-horse-battery-staple');
const flipped = (buffer: Buffer, at: number): Buffer => {
  const copy = Buffer.from(buffer);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('sameDigest', () => {
  it.each<[string, Buffer, Buffer, boolean]>([
    ['the same digest', digestA, Buffer.from(digestA), true],
    ['a digest differing in its first byte', digestA, flipped(digestA, 0), false],
    ['a digest differing in its last byte', digestA, flipped(digestA, 31), false],
    ['a shorter buffer (a prefix)', digestA, digestA.subarray(0, 16), false],
    ['a longer buffer', digestA, Buffer.concat([digestA, hex('00')]), false],
    ['an empty buffer against a digest', Buffer.alloc(0), digestA, false],
    ['two empty buffers', Buffer.alloc(0), Buffer.alloc(0), true],
  ])('%s: %p', (_name, presented, expected, equal) => {
    expect(sameDigest(presented, expected)).toBe(equal);
  });

  it('compares equal-length digests with crypto.timingSafeEqual, and never throws on a length that differs', () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    try {
      expect(sameDigest(digestA, flipped(digestA, 5))).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(() => sameDigest(digestA, hex('abcd'))).not.toThrow();
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sameSecret', () => {
  it.each<[string, string, string, boolean]>([
    [
      'the same secret',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      true,
    ],
    ['a prefix of it', 'whsec_MfKQ9r8G', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', false],
    [
      'one more character',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwx',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      false,
    ],
    [
      'another case',
      'WHSEC_MFKQ9R8GKYQRTWJUPD8ILPZIO2LALASW',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      false,
    ],
    ['the empty secret against one', '', 'test-operator-key-0123456789abcdef', false],
    ['non-ASCII text, the same', 'clé-secrète-ü-✓', 'clé-secrète-ü-✓', true],
    ['non-ASCII text, composed differently', 'e\u0301', '\u00e9', false],
  ])('%s', (_name, presented, expected, equal) => {
    expect(sameSecret(presented, expected)).toBe(equal);
  });

  it('hashes both sides, so the comparison is over 32 bytes whatever the lengths', () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    try {
      sameSecret('short', 'a much longer secret than the presented one');
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0]! as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    } finally {
      spy.mockRestore();
    }
  });
});

/**
 * No source compares a secret with === or !== (whose time depends on how much matched).
 * Every line of services/<name>/src (tests aside) comparing something named like a
 * secret, key, digest, signature, token or hash must be one of the comparisons of public
 * values listed here, with the reason it is safe.
 */
describe('comparisons of secrets in the sources', () => {
  const SERVICES = join(__dirname, '..', '..', '..');
  const PUBLIC_COMPARISONS: Record<string, string> = {
    'audit/src/domain/merkle-nodes.ts': 'Merkle leaf hashes of a proof are public',
    'audit/src/domain/verify-log.ts': 'a checkpoint root hash is public (it is signed)',
    'gateway/src/auth/webhook-secrets.ts':
      'secretId is the public id of a webhook secret, not the secret',
  };
  const SECRET_LIKE = /secret|digest|signature|token|hash|apikey|password/i;
  /** A literal, a length or a typeof: comparing with one tells nothing of a secret. */
  const HARMLESS = /^(\d+|'[^']*'|"[^"]*"|undefined|null|true|false)$|\.length$|^typeof$/;
  /** The comparisons of a line whose operands look like secrets. */
  const suspects = (line: string): string[] =>
    [...line.matchAll(/([\w.$[\]()'"]+)\s*([!=]==)\s*([\w.$[\]()'"]+)/g)]
      .filter(([, left = '', , right = '']) => {
        const operands = [left, right].map((o) => o.replace(/[()]+$|^[(!]+/g, ''));
        if (/typeof\s+\S+\s*[!=]==/.test(line) && operands.some((o) => /^'[^']*'$/.test(o)))
          return false;
        if (operands.some((o) => HARMLESS.test(o))) return false;
        return operands.some((o) => SECRET_LIKE.test(o));
      })
      .map(([match]) => match);
  const SUSPECT = { test: (line: string): boolean => suspects(line).length > 0 };

  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
      return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('test-helper')
        ? [path]
        : [];
    });

  it('every === or !== on a secret-like name is a listed comparison of public values', () => {
    const found = new Map<string, string[]>();
    for (const service of readdirSync(SERVICES)) {
      const src = join(SERVICES, service, 'src');
      if (!statSync(join(SERVICES, service)).isDirectory()) continue;
      let files: string[];
      try {
        files = sources(src);
      } catch {
        continue;
      }
      for (const file of files) {
        const lines = readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => SUSPECT.test(line) && !/^\s*(\/\/|\*)/.test(line));
        if (lines.length > 0)
          found.set(
            relative(SERVICES, file),
            lines.map((l) => l.trim()),
          );
      }
    }
    const unlisted = [...found].filter(([file]) => !(file in PUBLIC_COMPARISONS));
    expect(unlisted).toEqual([]);
    // The list stays true: each entry still has the comparison it excuses.
    expect([...found.keys()].sort()).toEqual(Object.keys(PUBLIC_COMPARISONS).sort());
  });

  it('the pattern finds a comparison of a secret written with ===', () => {
    expect(SUSPECT.test('if (presented.secretHash === record.secretHash) return true;')).toBe(true);
    expect(SUSPECT.test('return header.signature !== expected;')).toBe(true);
    expect(SUSPECT.test('return sameDigest(presented, record.secretHash);')).toBe(false);
  });
});
