import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2, §2.1), the same tree as
 * RFC 6962, with SHA-256. Leaves are the records' canonical bytes in seq order, so a tree
 * of size n is the first n records. Sizes and indices are JavaScript numbers and are
 * halved arithmetically, so they stay exact beyond 2^32.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

/** RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH(D[n]), RFC 9162 §2.1.1; the empty tree's is SHA-256 of the empty string. */
export function treeRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  return subtreeRoot(leaves.map(leafHash), 0, leaves.length);
}

/** PATH(m, D[n]), RFC 9162 §2.1.3.1: the audit path of leaf `index`, nearest sibling first. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  checkIndex(index, leaves.length, 'leaf index', 'tree size');
  return path(leaves.map(leafHash), index, 0, leaves.length);
}

/**
 * The verification algorithm of RFC 9162 §2.1.3.2, step for step: true when `proof` shows
 * that `leafBytes` is leaf `index` of the tree of `treeSize` leaves whose root is `root`.
 * Malformed input (an index past the tree, a non-integer) verifies nothing rather than
 * throwing: the proof comes from outside. The algorithm checks the tree's shape along the
 * path, not its size (a path may fit a neighbouring size too), so verify against a signed
 * checkpoint, which binds the size to the root.
 */
export function verifyInclusion(
  leafBytes: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isCount(index) || !isCount(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(leafBytes);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/**
 * PROOF(m, D[n]), RFC 9162 §2.1.4.1: shows the tree of the first `oldSize` leaves is a
 * prefix of the tree of all `leaves`. Empty when oldSize is 0 or the whole tree.
 */
export function consistencyProof(leaves: readonly Buffer[], oldSize: number): Buffer[] {
  checkIndex(oldSize, leaves.length + 1, 'old size', 'tree size + 1');
  if (oldSize === 0) return [];
  return subproof(leaves.map(leafHash), oldSize, 0, leaves.length, true);
}

/**
 * Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of
 * the tree of `newSize` leaves with root `newRoot`. For 0 < oldSize < newSize it is the
 * algorithm of RFC 9162 §2.1.4.2, step for step. The edge cases the RFC leaves out: equal
 * sizes need equal roots and an empty proof; an empty old tree is a prefix of any tree,
 * with an empty proof; a tree never shrinks.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  newRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  // An old tree of 2^k leaves is a whole subtree of the new one: its root starts the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

/** MTH of hashes[lo, hi), which is not empty. */
function subtreeRoot(hashes: readonly Buffer[], lo: number, hi: number): Buffer {
  if (hi - lo === 1) return hashes[lo]!;
  const k = largestPowerOfTwoBelow(hi - lo);
  return nodeHash(subtreeRoot(hashes, lo, lo + k), subtreeRoot(hashes, lo + k, hi));
}

/** PATH(m, D[lo:hi]). */
function path(hashes: readonly Buffer[], m: number, lo: number, hi: number): Buffer[] {
  if (hi - lo === 1) return [];
  const k = largestPowerOfTwoBelow(hi - lo);
  return m < k
    ? [...path(hashes, m, lo, lo + k), subtreeRoot(hashes, lo + k, hi)]
    : [...path(hashes, m - k, lo + k, hi), subtreeRoot(hashes, lo, lo + k)];
}

/** SUBPROOF(m, D[lo:hi], b). */
function subproof(
  hashes: readonly Buffer[],
  m: number,
  lo: number,
  hi: number,
  whole: boolean,
): Buffer[] {
  if (m === hi - lo) return whole ? [] : [subtreeRoot(hashes, lo, hi)];
  const k = largestPowerOfTwoBelow(hi - lo);
  return m <= k
    ? [...subproof(hashes, m, lo, lo + k, whole), subtreeRoot(hashes, lo + k, hi)]
    : [...subproof(hashes, m - k, lo + k, hi, false), subtreeRoot(hashes, lo, lo + k)];
}

/** The largest power of two smaller than n (n > 1): the RFC's k. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && !isOdd(n)) n = half(n);
  return n === 1;
}

function checkIndex(n: number, limit: number, what: string, limitName: string): void {
  if (!isCount(n) || n >= limit) {
    throw new RangeError(`${what} ${n} is not an integer from 0 below the ${limitName} ${limit}`);
  }
}
