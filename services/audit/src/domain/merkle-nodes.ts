import { createHash } from 'node:crypto';
import { leafHash, nodeHash, verifyInclusion } from './merkle';

/**
 * The RFC 9162 tree kept as its aligned subtrees, so a proof needs a handful of stored
 * hashes rather than every leaf (docs/AUDIT.md, "Proofs"). Node (level, index) is the root
 * of leaves [index·2^level, (index+1)·2^level): level 0 holds the leaf hashes, and a node
 * is complete, and never changes again, once its last leaf is appended. The appender
 * keeps only the frontier (one complete subtree per bit of the size) and hands each newly
 * completed node to the index; a proof or a root of any size up to the stored one is put
 * together from complete nodes. Pure.
 */

/** A complete aligned subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface TreeNode extends NodeId {
  readonly hash: Buffer;
}

/**
 * The roots of the complete subtrees that make up a tree of `size` leaves, largest
 * (leftmost) first: one per set bit of `size`.
 */
export interface Frontier {
  readonly size: number;
  readonly nodes: readonly TreeNode[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, nodes: [] };

/** The frontier after one more leaf, and the nodes that leaf completes (its own first). */
export function appendLeaf(
  frontier: Frontier,
  hashOfLeaf: Buffer,
): { frontier: Frontier; completed: TreeNode[] } {
  const nodes = [...frontier.nodes];
  let node: TreeNode = { level: 0, index: frontier.size, hash: hashOfLeaf };
  const completed = [node];
  // A right child completes its parent with the frontier's last node, its left sibling.
  while (nodes.length > 0 && nodes[nodes.length - 1]!.level === node.level) {
    const left = nodes.pop()!;
    node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
    completed.push(node);
  }
  nodes.push(node);
  return { frontier: { size: frontier.size + 1, nodes }, completed };
}

/** MTH of the frontier's tree: its subtrees joined right to left. */
export function frontierRoot(frontier: Frontier): Buffer {
  return joinRange(frontier.nodes.map((n) => n.hash));
}

/**
 * The aligned nodes that make up the leaves [lo, hi), largest first. `lo` must be a
 * multiple of the largest power of two not above hi - lo, as every range of the RFC's
 * recursion is.
 */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const ids: NodeId[] = [];
  let at = lo;
  for (let level = Math.floor(Math.log2(Math.max(hi - lo, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (hi - at >= width) {
      ids.push({ level, index: at / width });
      at += width;
    }
  }
  return ids;
}

/** MTH of a range from the hashes of its `rangeNodes`, largest first. */
export function joinRange(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return createHash('sha256').digest();
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

/**
 * What PATH(index, D[treeSize]) (RFC 9162 §2.1.3.1) is made of: for each proof element,
 * nearest sibling first, the aligned nodes whose join is that element's hash.
 */
export function inclusionPlan(index: number, treeSize: number): NodeId[][] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0) {
    throw new RangeError(`leaf index ${index} and tree size ${treeSize} must be integers from 0`);
  }
  if (index >= treeSize) {
    throw new RangeError(`leaf index ${index} is not below the tree size ${treeSize}`);
  }
  const plan: NodeId[][] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (index < lo + k) {
      plan.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      plan.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return plan.reverse();
}

/** The key a node is stored under: `<level>:<index>`. */
export function nodeKey(id: NodeId): string {
  return `${id.level}:${id.index}`;
}

/**
 * The audit path from a plan and the stored hashes of its nodes (by `nodeKey`); throws
 * naming the first node that is missing (the store is behind the requested size).
 */
export function assembleProof(
  plan: readonly NodeId[][],
  stored: ReadonlyMap<string, Buffer>,
): Buffer[] {
  return plan.map((element) =>
    joinRange(
      element.map((id) => {
        const hash = stored.get(nodeKey(id));
        if (!hash) throw new RangeError(`node ${nodeKey(id)} is not stored`);
        return hash;
      }),
    ),
  );
}

/**
 * Whether an inclusion proof as the audit API gives it (leaf bytes in base64, path in hex)
 * leads to the checkpoint's root: RFC 9162 §2.1.3.2 on the decoded values. Check the
 * checkpoint's signature separately, with the key you trust.
 */
export function proofReachesRoot(
  proof: { canonicalRecord: string; leafHash: string; leafIndex: number; auditPath: string[] },
  checkpoint: { treeSize: number; rootHash: string },
): boolean {
  const leaf = Buffer.from(proof.canonicalRecord, 'base64');
  return (
    leafHash(leaf).toString('hex') === proof.leafHash &&
    verifyInclusion(
      leaf,
      proof.leafIndex,
      checkpoint.treeSize,
      proof.auditPath.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(checkpoint.rootHash, 'hex'),
    )
  );
}
