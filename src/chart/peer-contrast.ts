import { fisherExactTwoSided } from './exact-tests.js';

/** One group's failures in one category: `count` of its `n` placed failures. */
export interface CategoryCount {
  count: number;
  n: number;
}

/** How one group's share of a category compares with the pooled share of its peers. */
export interface PeerContrast {
  /** Two-sided Fisher exact p of the group's count against the peers' pooled count. */
  p: number;
  /** The peers' pooled share: their failures in the category over all their placed failures. */
  peerShare: number;
}

/**
 * Does each group's share of one category differ from the pooled share of its peers beyond chance?
 * Each group is tested against the others pooled (Fisher's exact test on count vs n − count), so a run
 * where every group has the same profile gives large p everywhere, and one group that fails much more often
 * in the category stands out. `peersOf(i)` names the groups to pool (default: every other group); groups
 * without a cell, or without peers holding failures, get undefined. The p values are raw: correct them
 * over the cells shown together (see holmAdjust).
 *
 * Counts are unweighted placed failures; where a group pools strata sampled at different ratios, the test
 * is of the sampled counts, not of the weighted shares.
 */
export function peerContrasts(
  cells: readonly (CategoryCount | null | undefined)[],
  peersOf: (i: number) => readonly number[] = (i) => cells.map((_, j) => j).filter((j) => j !== i),
): (PeerContrast | undefined)[] {
  return cells.map((cell, i) => {
    if (!cell) return undefined;
    let peerCount = 0;
    let peerN = 0;
    for (const j of peersOf(i)) {
      const peer = cells[j];
      if (!peer || j === i) continue;
      peerCount += peer.count;
      peerN += peer.n;
    }
    if (peerN === 0 || cell.n === 0) return undefined;
    return {
      p: fisherExactTwoSided(cell.count, cell.n - cell.count, peerCount, peerN - peerCount),
      peerShare: peerCount / peerN,
    };
  });
}
