import { describe, expect, it } from 'vitest';
import { cohenKappa } from './agreement.js';
import { binomialTestHalf, exactMcNemar, fisherExactTwoSided } from './exact-tests.js';
import { benjaminiHochbergAdjust, holmAdjust } from './multiple-testing.js';
import { newcombeDifference, productInterval, wilsonInterval } from './proportions.js';
import { rateOf } from './rate.js';

describe('wilsonInterval', () => {
  it('matches the published values of Newcombe (1998), single proportion', () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(15, 148);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it('gives a non-empty interval for zero and for all successes', () => {
    const zero = wilsonInterval(0, 20);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.1611, 4);
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(1 - 0.1611, 4);
  });
});

describe('newcombeDifference', () => {
  it('matches the published hybrid score intervals (Newcombe 1998, method 10)', () => {
    const a = newcombeDifference(56, 70, 48, 80);
    expect(a.difference).toBeCloseTo(0.2, 10);
    expect(a.low).toBeCloseTo(0.0524, 4);
    expect(a.high).toBeCloseTo(0.3339, 4);
    const b = newcombeDifference(9, 10, 3, 10);
    expect(b.low).toBeCloseTo(0.1705, 4);
    expect(b.high).toBeCloseTo(0.809, 4);
  });
});

describe('productInterval', () => {
  it("keeps the other factor's uncertainty above the estimate when one factor is certain (share 14/14 of 14 failures in 40 predictions)", () => {
    const share = wilsonInterval(14, 14);
    const rate = wilsonInterval(14, 40);
    const product = productInterval(1, share, 0.35, rate);
    // The share cannot rise above 1, so the upper bound is the failure rate's own: not the estimate 0.35.
    expect(product.high).toBeCloseTo(rate.high, 12);
    expect(product.high).toBeGreaterThan(0.35);
    expect(product.low).toBeLessThan(share.low * 0.35);
  });

  it('adds the log distances in quadrature (MOVER), and bounds a product with a zero factor by the upper bounds', () => {
    const a = { low: 0.5, high: 0.9 };
    const b = { low: 0.1, high: 0.3 };
    const p = productInterval(0.7, a, 0.2, b);
    expect(Math.log(0.14) - Math.log(p.low)).toBeCloseTo(Math.hypot(Math.log(0.7 / 0.5), Math.log(0.2 / 0.1)), 12);
    expect(Math.log(p.high) - Math.log(0.14)).toBeCloseTo(Math.hypot(Math.log(0.9 / 0.7), Math.log(0.3 / 0.2)), 12);
    expect(productInterval(0, { low: 0, high: 0.2 }, 0.5, { low: 0.4, high: 0.6 })).toEqual({ low: 0, high: 0.2 * 0.6 });
  });
});

describe('fisherExactTwoSided', () => {
  it('gives p = 0.4857 for the lady tasting tea', () => {
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
  });

  it('matches a direct sum over hypergeometric tables', () => {
    // [[1, 9], [11, 3]]: margins 10/14 rows, 12/12 columns; sum P(x) over tables no likelier than x = 1.
    const choose = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);
    const p = (x: number) => (choose(10, x) * choose(14, 12 - x)) / choose(24, 12);
    let expected = 0;
    for (let x = 0; x <= 10; x++) if (p(x) <= p(1) * (1 + 1e-9)) expected += p(x);
    expect(fisherExactTwoSided(1, 9, 11, 3)).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(0.002759, 5);
  });

  it('is 1 for proportional tables and handles large margins', () => {
    expect(fisherExactTwoSided(5, 95, 5, 95)).toBeCloseTo(1, 10);
    const p = fisherExactTwoSided(40, 9960, 90, 9910);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.001);
  });
});

describe('exact McNemar', () => {
  it('is the doubled binomial tail of the discordant pairs', () => {
    // b = 1, c = 7: 2 * (C(8,0) + C(8,1)) / 2^8
    expect(exactMcNemar(1, 7)).toBeCloseTo((2 * 9) / 256, 12);
    expect(exactMcNemar(7, 1)).toBeCloseTo((2 * 9) / 256, 12);
    expect(exactMcNemar(4, 4)).toBe(1);
    expect(binomialTestHalf(0, 0)).toBe(1);
  });
});

describe('multiple-testing corrections', () => {
  const ps = [0.01, 0.04, 0.03, 0.005];
  it('Holm: step-down with running maximum', () => {
    const adj = holmAdjust(ps);
    for (const [i, v] of [0.03, 0.06, 0.06, 0.02].entries()) expect(adj[i]).toBeCloseTo(v, 12);
  });
  it('Benjamini–Hochberg: step-up with running minimum', () => {
    const adj = benjaminiHochbergAdjust(ps);
    for (const [i, v] of [0.02, 0.04, 0.04, 0.02].entries()) expect(adj[i]).toBeCloseTo(v, 12);
  });
  it('caps adjusted p at 1', () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(benjaminiHochbergAdjust([0.9, 0.95])).toEqual([0.95, 0.95]);
  });
});

describe('cohenKappa', () => {
  it('matches the textbook 2×2 example (po = 0.7, pe = 0.5, kappa = 0.4)', () => {
    const pairs: [string, string][] = [
      ...Array.from({ length: 20 }, () => ['yes', 'yes'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['yes', 'no'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['no', 'yes'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['no', 'no'] as [string, string]),
    ];
    const k = cohenKappa(pairs);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    // SE = √(0.7 × 0.3 / (50 × 0.5²)) = √0.0168 ≈ 0.12961
    expect(k.kappaLow).toBeCloseTo(0.4 - 1.96 * Math.sqrt(0.0168), 12);
    expect(k.kappaHigh).toBeCloseTo(0.4 + 1.96 * Math.sqrt(0.0168), 12);
  });
});

describe('edges of the statistics', () => {
  it('Wilson: no observations give [0, 1]; a share of 0 or 1 gives a bound of exactly 0 or 1', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    for (let n = 1; n <= 60; n++) {
      expect(wilsonInterval(0, n).low, `0 of ${n}`).toBe(0);
      expect(wilsonInterval(n, n).high, `${n} of ${n}`).toBe(1);
    }
  });

  it('Newcombe: a side with no observations counts as a share of 0 with the widest interval', () => {
    const d = newcombeDifference(0, 0, 3, 10);
    expect(d.difference).toBe(-0.3);
    const e = newcombeDifference(3, 10, 0, 0);
    expect(e.difference).toBe(0.3);
    expect([e.low, e.high].every(Number.isFinite)).toBe(true);
  });

  it('exact tests refuse counts that are negative or not whole, naming the count', () => {
    expect(() => fisherExactTwoSided(-1, 2, 3, 4)).toThrow(new RangeError('exact test needs non-negative integer counts, got -1'));
    expect(() => fisherExactTwoSided(1, 2.5, 3, 4)).toThrow(new RangeError('exact test needs non-negative integer counts, got 2.5'));
    expect(() => exactMcNemar(1.5, 2)).toThrow(RangeError);
    expect(fisherExactTwoSided(0, 0, 0, 0)).toBe(1);
    expect(exactMcNemar(0, 0)).toBe(1);
  });

  it('Fisher counts tables as likely as the observed one: 34/70 for [[3, 1], [1, 3]]', () => {
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(34 / 70, 12);
    expect(fisherExactTwoSided(4, 0, 0, 4)).toBeCloseTo(2 / 70, 12);
  });

  it('corrections keep equal p values in input order and return one value per test', () => {
    expect(holmAdjust([0.01, 0.01, 0.04])).toEqual([0.03, 0.03, 0.04]);
    expect(benjaminiHochbergAdjust([0.01, 0.01, 0.04])).toEqual([0.015, 0.015, 0.04]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('kappa: two labellings of one constant label agree fully; an empty list has no figures', () => {
    expect(
      cohenKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toEqual({ n: 2, observed: 1, expected: 1, kappa: 1, kappaLow: 1, kappaHigh: 1 });
    const none = cohenKappa([]);
    expect(none.n).toBe(0);
    expect([none.observed, none.expected, none.kappa, none.kappaLow, none.kappaHigh].every(Number.isNaN)).toBe(true);
  });

  it('rate: hits out of n with its interval, no rate for no observations', () => {
    expect(rateOf(3, 12)).toMatchObject({ n: 12, hits: 3, rate: 0.25, ...wilsonLowHigh(3, 12) });
    expect(rateOf(0, 0)).toMatchObject({ n: 0, hits: 0, rate: Number.NaN, ciLow: 0, ciHigh: 1 });
  });
});

function wilsonLowHigh(x: number, n: number) {
  const { low, high } = wilsonInterval(x, n);
  return { ciLow: low, ciHigh: high };
}
