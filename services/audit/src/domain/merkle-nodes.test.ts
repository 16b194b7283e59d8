import { inclusionProof, leafHash, treeRoot, verifyInclusion } from './merkle';
import {
  EMPTY_FRONTIER,
  appendLeaf,
  assembleProof,
  frontierRoot,
  inclusionPlan,
  nodeKey,
  proofReachesRoot,
  rangeNodes,
  type Frontier,
} from './merkle-nodes';

const leaves = Array.from({ length: 70 }, (_, i) => Buffer.from(`record ${i}`));

/** The frontier after every leaf, and every node stored along the way. */
function grow(count: number): { frontiers: Frontier[]; stored: Map<string, Buffer> } {
  const stored = new Map<string, Buffer>();
  const frontiers: Frontier[] = [EMPTY_FRONTIER];
  for (const leaf of leaves.slice(0, count)) {
    const { frontier, completed } = appendLeaf(frontiers[frontiers.length - 1]!, leafHash(leaf));
    for (const node of completed) {
      expect(stored.has(nodeKey(node))).toBe(false);
      stored.set(nodeKey(node), node.hash);
    }
    frontiers.push(frontier);
  }
  return { frontiers, stored };
}

describe('the tree kept as aligned nodes', () => {
  const { frontiers, stored } = grow(leaves.length);

  it('has the RFC 9162 root at every size, from the frontier alone', () => {
    for (let size = 0; size <= leaves.length; size++) {
      expect(frontierRoot(frontiers[size]!).toString('hex')).toBe(
        treeRoot(leaves.slice(0, size)).toString('hex'),
      );
    }
  });

  it('keeps one frontier node per set bit of the size', () => {
    expect(frontiers[13]!.nodes.map((n) => [n.level, n.index])).toEqual([
      [3, 0],
      [2, 2],
      [0, 12],
    ]);
    expect(frontiers[64]!.nodes.map((n) => [n.level, n.index])).toEqual([[6, 0]]);
  });

  it('stores each node once: 2n - popcount(n) of them', () => {
    expect(stored.size).toBe(2 * 70 - 3);
  });

  it('gives the RFC 9162 audit path for every leaf of every size from 1 to 70', () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = treeRoot(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = assembleProof(inclusionPlan(index, size), stored);
        expect(proof.map((p) => p.toString('hex'))).toEqual(
          inclusionProof(leaves.slice(0, size), index).map((p) => p.toString('hex')),
        );
        expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);
      }
    }
  });

  it.each([
    [0, 1, [[0, 0]]],
    [5, 5, []],
    [0, 8, [[3, 0]]],
    [
      8,
      13,
      [
        [2, 2],
        [0, 12],
      ],
    ],
    [
      64,
      70,
      [
        [2, 16],
        [1, 34],
      ],
    ],
  ])('covers leaves [%i, %i) with aligned nodes, largest first', (lo, hi, ids) => {
    expect(rangeNodes(lo, hi).map((n) => [n.level, n.index])).toEqual(ids);
  });

  it('names the first node a proof needs that is not stored', () => {
    const { stored: few } = grow(5);
    expect(() => assembleProof(inclusionPlan(2, 8), few)).toThrow('node 2:1 is not stored');
  });

  it.each([
    [3, 3],
    [-1, 4],
    [0.5, 4],
  ])('refuses leaf %s of a tree of %s', (index, size) => {
    expect(() => inclusionPlan(index, size)).toThrow(RangeError);
  });

  it('checks a proof as the API gives it, and refuses one whose leaf or path was altered', () => {
    const size = 13;
    const index = 6;
    const checkpoint = {
      treeSize: size,
      rootHash: treeRoot(leaves.slice(0, size)).toString('hex'),
    };
    const proof = {
      canonicalRecord: leaves[index]!.toString('base64'),
      leafHash: leafHash(leaves[index]!).toString('hex'),
      leafIndex: index,
      auditPath: assembleProof(inclusionPlan(index, size), stored).map((h) => h.toString('hex')),
    };
    expect(proofReachesRoot(proof, checkpoint)).toBe(true);
    const otherLeaf = leaves[index + 1]!;
    expect(
      proofReachesRoot({ ...proof, canonicalRecord: otherLeaf.toString('base64') }, checkpoint),
    ).toBe(false);
    expect(
      proofReachesRoot(
        {
          ...proof,
          canonicalRecord: otherLeaf.toString('base64'),
          leafHash: leafHash(otherLeaf).toString('hex'),
        },
        checkpoint,
      ),
    ).toBe(false);
    expect(proofReachesRoot({ ...proof, auditPath: proof.auditPath.slice(1) }, checkpoint)).toBe(
      false,
    );
    // Against another tree's root (the size is bound to the root by the signature).
    const larger = treeRoot(leaves.slice(0, size + 1)).toString('hex');
    expect(proofReachesRoot(proof, { ...checkpoint, rootHash: larger })).toBe(false);
  });
});
