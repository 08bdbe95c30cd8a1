import { describe, expect, it } from 'vitest';
import { acceptance, categoryAgreement, type LabelPair } from './agreement-stats.js';

/** Pairs from a confusion table: rows are the judge's labels, columns the reviewer's. */
function pairsFrom(labels: string[], table: number[][]): LabelPair[] {
  return table.flatMap((row, i) => row.flatMap((count, j) => Array.from({ length: count }, () => [labels[i], labels[j]] as const)));
}

const options = { seed: 1, purpose: 'test', resamples: 400 };

describe('judge–human agreement', () => {
  it('2×2: accuracy 35/50 = 0.7, chance 0.5, kappa (0.7 − 0.5) / (1 − 0.5) = 0.4', () => {
    // judge A: 20 agreed, 5 the reviewer called B; judge B: 10 the reviewer called A, 15 agreed.
    // Marginals: judge 25/25, reviewer 30/20 → chance = (25·30 + 25·20) / 50² = 0.5.
    const a = categoryAgreement(
      pairsFrom(
        ['A', 'B'],
        [
          [20, 5],
          [10, 15],
        ],
      ),
      options,
    );
    expect(a.n).toBe(50);
    expect(a.accuracy.value).toBeCloseTo(0.7, 12);
    expect(a.kappa.value).toBeCloseTo(0.4, 12);
    expect(a.kappa.low).toBeLessThan(0.4);
    expect(a.kappa.high).toBeGreaterThan(0.4);
    // Wilson 95% for 35/50, by hand: centre (0.7 + 1.92/50)/(1 + 3.84/50) …  = [0.5623, 0.8090]
    expect(a.accuracy.low).toBeCloseTo(0.5623, 3);
    expect(a.accuracy.high).toBeCloseTo(0.809, 3);
    // Precision of the judge's A = 20/25, recall of A = 20/30.
    const catA = a.perCategory.find((c) => c.label === 'A');
    expect(catA?.precision.value).toBeCloseTo(0.8, 12);
    expect(catA?.recall.value).toBeCloseTo(20 / 30, 12);
    expect(a.confusion).toEqual({
      labels: ['A', 'B'],
      counts: [
        [20, 5],
        [10, 15],
      ],
    });
  });

  it('4×4: 40 of 50 on the diagonal, chance 633/2500, kappa 0.5468 / 0.7468', () => {
    const table = [
      [10, 2, 0, 1],
      [1, 8, 1, 0],
      [0, 2, 9, 1],
      [1, 0, 1, 13],
    ];
    // Row sums 13, 10, 12, 15; column sums 12, 12, 11, 15 → chance (156 + 120 + 132 + 225) / 2500 = 0.2532.
    const a = categoryAgreement(pairsFrom(['A', 'B', 'C', 'D'], table), options);
    expect(a.accuracy.value).toBeCloseTo(0.8, 12);
    expect(a.kappa.value).toBeCloseTo((0.8 - 0.2532) / (1 - 0.2532), 12);
    expect(a.kappa.value).toBeCloseTo(0.73219, 4);
    const d = a.perCategory.find((c) => c.label === 'D');
    expect(d?.precision.value).toBeCloseTo(13 / 15, 12);
    expect(d?.recall.value).toBeCloseTo(13 / 15, 12);
    const b = a.perCategory.find((c) => c.label === 'B');
    expect(b?.precision.value).toBeCloseTo(8 / 10, 12);
    expect(b?.recall.value).toBeCloseTo(8 / 12, 12);
  });

  it('the same data and seed give the same kappa interval; another seed a slightly different one', () => {
    const pairs = pairsFrom(
      ['A', 'B'],
      [
        [20, 5],
        [10, 15],
      ],
    );
    expect(categoryAgreement(pairs, options).kappa).toEqual(categoryAgreement(pairs, options).kappa);
    expect(categoryAgreement(pairs, { ...options, seed: 2 }).kappa.low).not.toBe(categoryAgreement(pairs, options).kappa.low);
  });

  it('no reviews: NaN figures, not zeros', () => {
    const a = categoryAgreement([], options);
    expect(a.n).toBe(0);
    expect(a.accuracy.value).toBeNaN();
    expect(a.kappa.value).toBeNaN();
  });
});

describe('analysis acceptance', () => {
  it('counts accept, partly and reject over the verdicts given', () => {
    const r = acceptance(['accept', 'accept', 'accept', 'partly', 'reject']);
    expect(r.n).toBe(5);
    expect(r.accept.value).toBeCloseTo(0.6, 12);
    expect(r.partly.value).toBeCloseTo(0.2, 12);
    expect(r.reject.value).toBeCloseTo(0.2, 12);
    expect(r.accept.low).toBeLessThan(0.6);
  });
});
