import { createHash } from 'node:crypto';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
import { CONSISTENCY, EMPTY_ROOT, INCLUSION, LEAVES, ROOTS } from './rfc6962-vectors.test-helper';

describe('the RFC 6962 test vectors', () => {
  it('the empty tree hashes to SHA-256 of the empty string', () => {
    expect(treeRoot([])).toEqual(EMPTY_ROOT);
  });

  it.each(ROOTS.map((root, i) => [i + 1, root] as const))(
    'the root of the first %i leaves',
    (size, root) => {
      expect(treeRoot(LEAVES.slice(0, size))).toEqual(root);
    },
  );

  it.each(INCLUSION)('the audit path of leaf %i in a tree of %i', (index, size, proof) => {
    const leaves = LEAVES.slice(0, size);
    expect(inclusionProof(leaves, index)).toEqual(proof);
    expect(verifyInclusion(LEAVES[index]!, index, size, proof, ROOTS[size - 1]!)).toBe(true);
  });

  it.each(CONSISTENCY)('the consistency proof from %i to %i leaves', (oldSize, newSize, proof) => {
    expect(consistencyProof(LEAVES.slice(0, newSize), oldSize)).toEqual(proof);
    const [oldRoot, newRoot] = [ROOTS[oldSize - 1]!, ROOTS[newSize - 1]!];
    expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
  });
});

/**
 * An independent tree to compare with, built the other way round: bottom up, a level at a
 * time, pairing neighbours and carrying an odd last node up unchanged. It yields the same
 * tree as the RFC's top-down split at the largest power of two.
 */
function levels(leaves: readonly Buffer[]): Buffer[][] {
  const all = [leaves.map(leafHash)];
  while (all.at(-1)!.length > 1) {
    const level = all.at(-1)!;
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    }
    all.push(next);
  }
  return all;
}

function naiveProof(leaves: readonly Buffer[], index: number): Buffer[] {
  const proof: Buffer[] = [];
  let i = index;
  for (const level of levels(leaves).slice(0, -1)) {
    const sibling = i % 2 ? i - 1 : i + 1;
    if (sibling < level.length) proof.push(level[sibling]!);
    i = Math.floor(i / 2);
  }
  return proof;
}

const MANY = Array.from({ length: 70 }, (_, i) => Buffer.from(`audit record ${i}`));
const SIZES = Array.from({ length: 70 }, (_, i) => i + 1);
const flip = (b: Buffer): Buffer => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));

describe('trees of 1 to 70 leaves', () => {
  it.each(SIZES)('size %i: the root matches a bottom-up tree', (size) => {
    expect(treeRoot(MANY.slice(0, size))).toEqual(levels(MANY.slice(0, size)).at(-1)![0]);
  });

  it.each(SIZES)('size %i: every leaf verifies, and nothing changed does', (size) => {
    const leaves = MANY.slice(0, size);
    const root = treeRoot(leaves);
    for (let index = 0; index < size; index++) {
      const proof = inclusionProof(leaves, index);
      expect(proof).toEqual(naiveProof(leaves, index));
      expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);

      const leaf = leaves[index]!;
      expect(verifyInclusion(flip(leaf), index, size, proof, root)).toBe(false);
      expect(verifyInclusion(MANY[size] ?? Buffer.from('x'), index, size, proof, root)).toBe(false);
      for (const other of [index - 1, index + 1, index ^ 2]) {
        if (other !== index) expect(verifyInclusion(leaf, other, size, proof, root)).toBe(false);
      }
      // A tree of another height: a neighbouring size may share the path's shape (see below).
      for (const otherSize of [size * 2, Math.floor(size / 2)]) {
        if (otherSize !== size) {
          expect(verifyInclusion(leaf, index, otherSize, proof, root)).toBe(false);
        }
      }
      proof.forEach((_, i) => {
        const changed = proof.map((p, j) => (j === i ? flip(p) : p));
        expect(verifyInclusion(leaf, index, size, changed, root)).toBe(false);
      });
      expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
      expect(verifyInclusion(leaf, index, size, [root, ...proof], root)).toBe(false);
      if (proof.length) {
        expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
      }
      expect(verifyInclusion(leaf, index, size, proof, flip(root))).toBe(false);
    }
  });

  it.each(SIZES)('size %i: every older size is consistent, and nothing changed is', (size) => {
    const leaves = MANY.slice(0, size);
    const newRoot = treeRoot(leaves);
    for (let oldSize = 0; oldSize <= size; oldSize++) {
      const oldRoot = treeRoot(leaves.slice(0, oldSize));
      const proof = consistencyProof(leaves, oldSize);
      expect(verifyConsistency(oldSize, size, oldRoot, newRoot, proof)).toBe(true);
      if (oldSize === 0 || oldSize === size) continue;

      expect(verifyConsistency(oldSize, size, flip(oldRoot), newRoot, proof)).toBe(false);
      expect(verifyConsistency(oldSize, size, oldRoot, flip(newRoot), proof)).toBe(false);
      expect(verifyConsistency(oldSize, size, newRoot, oldRoot, proof)).toBe(false);
      for (const other of [oldSize - 1, oldSize + 1, oldSize ^ 2]) {
        if (other !== oldSize && other > 0) {
          expect(verifyConsistency(other, size, oldRoot, newRoot, proof)).toBe(false);
        }
      }
      for (const otherSize of [size * 2]) {
        expect(verifyConsistency(oldSize, otherSize, oldRoot, newRoot, proof)).toBe(false);
      }
      proof.forEach((_, i) => {
        const changed = proof.map((p, j) => (j === i ? flip(p) : p));
        expect(verifyConsistency(oldSize, size, oldRoot, newRoot, changed)).toBe(false);
      });
      expect(verifyConsistency(oldSize, size, oldRoot, newRoot, [])).toBe(false);
      expect(verifyConsistency(oldSize, size, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
      expect(verifyConsistency(oldSize, size, oldRoot, newRoot, [...proof, newRoot])).toBe(false);
      expect(verifyConsistency(oldSize, size, oldRoot, newRoot, [oldRoot, ...proof])).toBe(false);
    }
  });

  it('a tree of a different leaf at any place has a different root', () => {
    const root = treeRoot(MANY);
    MANY.forEach((leaf, i) => {
      const changed = MANY.map((l, j) => (j === i ? flip(leaf) : l));
      expect(treeRoot(changed)).not.toEqual(root);
    });
  });
});

describe('hashes and edge cases', () => {
  it('separates leaves from nodes (RFC 9162 0x00 and 0x01 prefixes)', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const [a, b] = [Buffer.from('a'), Buffer.from('b')];
    expect(leafHash(a)).toEqual(sha(Buffer.from([0]), a));
    expect(nodeHash(a, b)).toEqual(sha(Buffer.from([1]), a, b));
    expect(treeRoot([a, b])).toEqual(nodeHash(leafHash(a), leafHash(b)));
  });

  /**
   * The RFC's algorithms check the tree's shape along the path, not its size: a path can fit
   * a neighbouring size too. What binds the size to the root is the signed checkpoint, which
   * is why an auditor verifies against a checkpoint and never against a bare root.
   */
  it('a proof binds the root, not the size: leaf 0 of 5 also fits a claimed size of 6', () => {
    const leaves = MANY.slice(0, 5);
    const root = treeRoot(leaves);
    expect(verifyInclusion(leaves[0]!, 0, 6, inclusionProof(leaves, 0), root)).toBe(true);
    const proof = consistencyProof(leaves, 4);
    expect(verifyConsistency(4, 6, treeRoot(leaves.slice(0, 4)), root, proof)).toBe(true);
  });

  it.each<[what: string, index: number, size: number]>([
    ['an index equal to the size', 1, 1],
    ['an index past the size', 5, 3],
    ['an empty tree', 0, 0],
    ['a negative index', -1, 3],
    ['a fractional index', 0.5, 3],
  ])('verifyInclusion refuses %s without throwing', (_what, index, size) => {
    expect(verifyInclusion(MANY[0]!, index, size, [], treeRoot(MANY.slice(0, 1)))).toBe(false);
  });

  it.each<
    [what: string, oldSize: number, newSize: number, same: boolean, proof: Buffer[], ok: boolean]
  >([
    ['equal sizes with equal roots and no proof', 3, 3, true, [], true],
    ['equal sizes with different roots', 3, 3, false, [], false],
    ['equal sizes with a proof', 3, 3, true, [EMPTY_ROOT], false],
    ['an empty old tree with no proof', 0, 5, false, [], true],
    ['an empty old tree with a proof', 0, 5, false, [EMPTY_ROOT], false],
    ['a tree that shrank', 5, 3, false, [], false],
  ])('verifyConsistency: %s', (_what, oldSize, newSize, same, proof, ok) => {
    const oldRoot = treeRoot(MANY.slice(0, oldSize));
    const newRoot = same ? oldRoot : flip(treeRoot(MANY.slice(0, newSize)));
    expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(ok);
  });

  it.each([-1, 2, 1.5])('inclusionProof refuses index %s of a tree of 2', (index) => {
    expect(() => inclusionProof(MANY.slice(0, 2), index)).toThrow(RangeError);
  });

  it.each([-1, 3])('consistencyProof refuses an old size of %s for a tree of 2', (oldSize) => {
    expect(() => consistencyProof(MANY.slice(0, 2), oldSize)).toThrow(RangeError);
  });
});
