import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided } from './exact-tests.js';
import { holmAdjust } from './multiple-testing.js';
import { peerContrasts } from './peer-contrast.js';

describe('peerContrasts', () => {
  it('finds nothing when every group has the same profile', () => {
    const same = [0, 1, 2, 3, 4].map(() => ({ count: 20, n: 100 }));
    const contrasts = peerContrasts(same);
    for (const c of contrasts) {
      expect(c?.p).toBeCloseTo(1, 9);
      expect(c?.peerShare).toBe(0.2);
    }
  });

  it('marks the one group that fails far more often in the category, after Holm over the grid', () => {
    const cells = [
      { count: 60, n: 100 },
      { count: 20, n: 100 },
      { count: 22, n: 100 },
      { count: 18, n: 100 },
    ];
    const contrasts = peerContrasts(cells);
    // The planted group against the three others pooled: 60/100 vs 60/300.
    expect(contrasts[0]?.p).toBe(fisherExactTwoSided(60, 40, 60, 240));
    expect(contrasts[0]?.peerShare).toBe(0.2);
    const holm = holmAdjust(contrasts.map((c) => c?.p ?? 1));
    expect(holm[0]).toBeLessThan(1e-6);
    // The others are compared with peers that include the planted group: below them, and far less surely.
    expect(Math.min(...holm.slice(1))).toBeGreaterThan(holm[0] * 1000);
    expect(contrasts[2]?.peerShare).toBeCloseTo(98 / 300, 12);
  });

  it('pools only the peers it is given, and skips groups without a cell or without peers', () => {
    const cells = [{ count: 5, n: 10 }, null, { count: 1, n: 10 }, { count: 9, n: 10 }];
    const contrasts = peerContrasts(cells, (i) => (i === 0 ? [2] : i === 2 ? [0] : []));
    expect(contrasts[0]?.p).toBe(fisherExactTwoSided(5, 5, 1, 9));
    expect(contrasts[2]?.peerShare).toBe(0.5);
    expect(contrasts[1]).toBeUndefined();
    expect(contrasts[3]).toBeUndefined();
  });
});
