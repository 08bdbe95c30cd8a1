import { describe, expect, it } from 'vitest';
import type { Prediction } from '../ingest/prediction.js';
import { capSampleSizes, orderStrata, type Stratum, sampleStrata, stratumSampleSize } from './sampling.js';

function failures(model: string, dataset: string, count: number): Prediction[] {
  return Array.from({ length: count }, (_, i) => ({
    dataset,
    exampleId: `${dataset}-${String(i).padStart(3, '0')}`,
    model,
    inputText: 'q',
    outputText: 'a',
    score: 0,
    metadata: {},
    source: { file: `${dataset}.csv`, line: i + 2 },
  }));
}

const ids = (samples: Prediction[][]) => samples.map((s) => s.map((p) => p.exampleId));

/** The strata of `failures` in orderStrata's order, as prepare builds them (grouped by model and dataset). */
function strataOf(failures: Prediction[]): Stratum<Prediction>[] {
  const byPair = new Map<string, Stratum<Prediction>>();
  for (const p of failures) {
    const key = JSON.stringify([p.model, p.dataset]);
    const stratum = byPair.get(key) ?? { model: p.model, dataset: p.dataset, failures: [] };
    stratum.failures.push(p);
    byPair.set(key, stratum);
  }
  return orderStrata([...byPair.values()]);
}

describe('stratumSampleSize', () => {
  it('is ceil(ratio × n) without float error, and at least one for any stratum with failures', () => {
    expect(stratumSampleSize(0.1, 30)).toBe(3);
    expect(stratumSampleSize(0.1, 31)).toBe(4);
    expect(stratumSampleSize(0.1, 1)).toBe(1);
    expect(stratumSampleSize(0.3, 10)).toBe(3);
    expect(stratumSampleSize(1, 7)).toBe(7);
    expect(stratumSampleSize(0.1, 0)).toBe(0);
  });
});

describe('capSampleSizes', () => {
  it('leaves sizes alone under the cap', () => {
    expect(capSampleSizes([3, 2], 10)).toEqual([3, 2]);
    expect(capSampleSizes([3, 2], undefined)).toEqual([3, 2]);
  });
  it('reduces proportionally with largest remainders, ties to the earlier stratum, summing to the cap', () => {
    expect(capSampleSizes([10, 5, 1], 8)).toEqual([5, 3, 0]);
    const capped = capSampleSizes([40, 30, 20, 7], 50);
    expect(capped.reduce((a, b) => a + b, 0)).toBe(50);
    expect(capped).toEqual([21, 15, 10, 4]);
    // four equal remainders, two seats left: the first two strata take them
    expect(capSampleSizes([1, 1, 1, 1, 1, 1], 4)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(capSampleSizes([3, 3, 3, 3], 6)).toEqual([2, 2, 1, 1]);
  });
  it('keeps sizes that already sum to the cap', () => {
    expect(capSampleSizes([3, 2], 5)).toEqual([3, 2]);
  });
});

describe('orderStrata', () => {
  it('orders strata by model, then dataset, and each stratum by example id', () => {
    const strata = orderStrata([
      { model: 'b', dataset: 'd1', failures: failures('b', 'd1', 2).reverse() },
      { model: 'a', dataset: 'd2', failures: failures('a', 'd2', 1) },
      { model: 'a', dataset: 'd1', failures: failures('a', 'd1', 3).reverse() },
    ]);
    expect(strata.map((s) => [s.model, s.dataset, s.failures.map((p) => p.exampleId)])).toEqual([
      ['a', 'd1', ['d1-000', 'd1-001', 'd1-002']],
      ['a', 'd2', ['d2-000']],
      ['b', 'd1', ['d1-000', 'd1-001']],
    ]);
  });
});

describe('sampleStrata', () => {
  const pool = [...failures('m1', 'd1', 40), ...failures('m2', 'd1', 25), ...failures('m1', 'd2', 3)];

  it('gives the same sample for the same seed and a different one for another seed', () => {
    const strata = strataOf(pool);
    const a = sampleStrata(strata, { ratio: 0.2, seed: 42 });
    const b = sampleStrata(strataOf([...pool].reverse()), { ratio: 0.2, seed: 42 });
    const c = sampleStrata(strata, { ratio: 0.2, seed: 7 });
    expect(ids(b)).toEqual(ids(a));
    expect(ids(c)).not.toEqual(ids(a));
  });

  it('samples every (model, dataset) stratum with ceil(ratio × n) failures of its own', () => {
    const strata = strataOf(pool);
    expect(strata.map((s) => `${s.model}/${s.dataset}`)).toEqual(['m1/d1', 'm1/d2', 'm2/d1']);
    const samples = sampleStrata(strata, { ratio: 0.1, seed: 42 });
    expect(samples.map((s) => s.length)).toEqual([4, 1, 3]);
    samples.forEach((sample, i) => {
      for (const p of sample) expect([p.model, p.dataset]).toEqual([strata[i].model, strata[i].dataset]);
      expect(new Set(sample).size).toBe(sample.length);
    });
  });

  it("does not change one model's sample when another model is added", () => {
    const before = sampleStrata(strataOf(failures('m1', 'd1', 50)), { ratio: 0.2, seed: 42 });
    const after = sampleStrata(strataOf([...failures('a0', 'd1', 50), ...failures('m1', 'd1', 50)]), {
      ratio: 0.2,
      seed: 42,
    });
    expect(ids([after[1]])).toEqual(ids(before));
  });

  it('under a cap keeps failures the uncapped sample of each stratum also took (its first picks)', () => {
    const strata = strataOf(pool);
    const full = sampleStrata(strata, { ratio: 0.5, seed: 42 });
    const capped = sampleStrata(strata, { ratio: 0.5, seed: 42, maxErrors: 10 });
    expect(capped.flat()).toHaveLength(10);
    capped.forEach((sample, i) => {
      expect(sample.length).toBeLessThan(full[i].length);
      expect(full[i]).toEqual(expect.arrayContaining(sample));
    });
  });

  it('returns each sample in example-id order, whatever order the picks came in', () => {
    const samples = sampleStrata(strataOf(pool), { ratio: 0.5, seed: 42 });
    for (const sample of samples) {
      const ids = sample.map((p) => p.exampleId);
      expect(ids.length).toBeGreaterThan(1);
      expect(ids).toEqual([...ids].sort());
    }
  });
});
