import { describe, expect, it } from 'vitest';
import type { LabelPair } from './agreement-stats.js';
import { correctedShares } from './corrected-shares.js';

const repeat = (n: number, pair: LabelPair) => Array.from({ length: n }, () => pair);

describe('shares corrected for misclassification', () => {
  it('a constructed case: judge shares 60/40, reviewers move 20% of A to B and 10% of B to A', () => {
    // Judge said A for 60% of failures, B for 40%. Of 10 reviewed A: 8 A, 2 B. Of 10 reviewed B: 1 A, 9 B.
    // Corrected A = 0.6·0.8 + 0.4·0.1 = 0.52; corrected B = 0.6·0.2 + 0.4·0.9 = 0.48.
    const pairs = [...repeat(8, ['A', 'A']), ...repeat(2, ['A', 'B']), ...repeat(1, ['B', 'A']), ...repeat(9, ['B', 'B'])];
    const shares = correctedShares(
      new Map([
        ['A', 0.6],
        ['B', 0.4],
      ]),
      pairs,
      { seed: 3, resamples: 500 },
    );
    const a = shares.find((s) => s.label === 'A');
    const b = shares.find((s) => s.label === 'B');
    expect(a?.judgeShare).toBe(0.6);
    expect(a?.corrected.value).toBeCloseTo(0.52, 12);
    expect(b?.corrected.value).toBeCloseTo(0.48, 12);
    expect(a?.reviewed).toBe(10);
    // The bootstrap interval surrounds the estimate and stays a share.
    expect(a?.corrected.low).toBeLessThan(0.52);
    expect(a?.corrected.high).toBeGreaterThan(0.52);
    expect(a?.corrected.low).toBeGreaterThanOrEqual(0);
    expect(b?.corrected.high).toBeLessThanOrEqual(1);
  });

  it('a category nobody reviewed keeps its judge share; one only reviewers used appears with judge share 0', () => {
    const shares = correctedShares(
      new Map([
        ['A', 0.5],
        ['C', 0.5],
      ]),
      [...repeat(3, ['A', 'A']), ['A', 'New']],
      { seed: 3, resamples: 200 },
    );
    expect(shares.find((s) => s.label === 'C')?.corrected.value).toBeCloseTo(0.5, 12);
    expect(shares.find((s) => s.label === 'A')?.corrected.value).toBeCloseTo(0.375, 12);
    const added = shares.find((s) => s.label === 'New');
    expect(added?.judgeShare).toBe(0);
    expect(added?.corrected.value).toBeCloseTo(0.125, 12);
    expect(shares.reduce((s, x) => s + x.corrected.value, 0)).toBeCloseTo(1, 12);
  });

  it('the same seed gives the same interval', () => {
    const pairs = [...repeat(8, ['A', 'A']), ...repeat(2, ['A', 'B']), ...repeat(5, ['B', 'B'])] as LabelPair[];
    const run = () =>
      correctedShares(
        new Map([
          ['A', 0.7],
          ['B', 0.3],
        ]),
        pairs,
        { seed: 9, resamples: 300 },
      );
    expect(run()).toEqual(run());
  });
});
