import { describe, expect, it } from 'vitest';
import { buildOutcomes, buildTestRun, exampleIds, type FailureSpec, REASONING_AND_FORMAT_TAXONOMY } from '../../test/support/chart-run.js';
import { compareModels } from './compare.js';
import { exactMcNemar, fisherExactTwoSided } from './exact-tests.js';
import { holmAdjust } from './multiple-testing.js';

const taxonomy = REASONING_AND_FORMAT_TAXONOMY;
const examples = exampleIds(200);

function fail(model: string, from: number, to: number, path: string[]): FailureSpec[] {
  return examples.slice(from, to).map((exampleId) => ({ model, exampleId, path }));
}

describe('compareModels', () => {
  // A: 40 arithmetic failures (e0–e39); B: 5 of those (e0–e4). Both fail e100–e109 on format, and
  // logic failures on disjoint examples, 6 each.
  const planted = buildTestRun({
    taxonomy,
    failures: [
      ...fail('A', 0, 40, ['reason', 'arith']),
      ...fail('B', 0, 5, ['reason', 'arith']),
      ...fail('A', 100, 110, ['format']),
      ...fail('B', 100, 110, ['format']),
      ...fail('A', 150, 156, ['reason', 'logic']),
      ...fail('B', 160, 166, ['reason', 'logic']),
    ],
    predictions: { 'bench/A': 200, 'bench/B': 200 },
  });
  const outcomes = buildOutcomes(planted, ['A', 'B'], examples);

  it('finds a planted difference significant with the paired test, and nothing else', () => {
    const c = compareModels(planted, outcomes, { modelA: 'A', modelB: 'B', depth: 2 });
    expect(c.test).toBe('paired (exact McNemar)');
    expect(c.pairs).toBe(200);
    const arith = c.categories.find((x) => x.categoryId === 'arith');
    expect(arith).toMatchObject({ onlyA: 35, onlyB: 0, significant: true });
    expect(arith?.p).toBeCloseTo(exactMcNemar(35, 0), 15);
    expect(arith?.difference).toBeCloseTo(((40 - 5) / 200) * 100, 10);
    expect(arith?.differenceLow).toBeGreaterThan(0);
    expect(arith?.a.incidence).toBeCloseTo(20, 10);
    const logic = c.categories.find((x) => x.categoryId === 'logic');
    expect(logic).toMatchObject({ onlyA: 6, onlyB: 6, p: 1, significant: false });
    expect(c.categories.find((x) => x.categoryId === 'format')).toMatchObject({ onlyA: 0, onlyB: 0, significant: false });
    expect(c.categories.map((x) => x.pHolm)).toEqual(holmAdjust(c.categories.map((x) => x.p)));
    expect(c.categories.filter((x) => x.significant).map((x) => x.categoryId)).toEqual(['arith']);
  });

  it('lists examples one model fails and the other gets right, by category', () => {
    const c = compareModels(planted, outcomes, { modelA: 'A', modelB: 'B', depth: 2 });
    const arith = c.aFailsBSucceeds.find((g) => g.categoryId === 'arith');
    expect(arith?.examples.map((e) => e.exampleId)).toEqual(examples.slice(5, 40));
    expect(c.aFailsBSucceeds.find((g) => g.categoryId === 'format')).toBeUndefined();
    expect(c.bFailsASucceeds.map((g) => [g.categoryId, g.examples.length])).toEqual([['logic', 6]]);
  });

  it('finds nothing significant when both models fail identically', () => {
    const same = buildTestRun({
      taxonomy,
      failures: [
        ...fail('A', 0, 30, ['reason', 'arith']),
        ...fail('B', 0, 30, ['reason', 'arith']),
        ...fail('A', 50, 60, ['format']),
        ...fail('B', 50, 60, ['format']),
      ],
      predictions: { 'bench/A': 200, 'bench/B': 200 },
    });
    for (const outs of [buildOutcomes(same, ['A', 'B'], examples), undefined]) {
      const c = compareModels(same, outs, { modelA: 'A', modelB: 'B', depth: 1 });
      expect(c.categories.length).toBe(2);
      for (const x of c.categories) {
        expect(x.significant).toBe(false);
        expect(x.p).toBeCloseTo(1, 9);
        expect(x.difference).toBe(0);
      }
    }
  });

  it('falls back to Fisher on counts against predictions without per-example outcomes', () => {
    const c = compareModels(planted, undefined, { modelA: 'A', modelB: 'B', depth: 1 });
    expect(c.test).toBe('unpaired (Fisher exact)');
    const reason = c.categories.find((x) => x.categoryId === 'reason');
    expect(reason?.p).toBeCloseTo(fisherExactTwoSided(46, 154, 11, 189), 15);
    expect(reason?.significant).toBe(true);
    expect(c.warnings.join(' ')).toMatch(/outcomes not given/);
  });

  it('uses the unpaired test under sampling and scales predictions by the sampled fraction', () => {
    // A: 40 failures of which 20 sampled; B: 10 failures all sampled; 200 predictions each.
    const sampled = buildTestRun({
      taxonomy,
      failures: [...fail('A', 0, 20, ['reason', 'arith']), ...fail('B', 0, 10, ['format'])],
      totalFailures: { 'bench/A': 40 },
      predictions: { 'bench/A': 200, 'bench/B': 200 },
    });
    // the run holds only the sampled failures; the database knows A also failed e20–e39
    const outs = buildOutcomes(sampled, ['A', 'B'], examples).map((o) =>
      o.model === 'A' && Number(o.exampleId.slice(1)) < 40 ? { ...o, failed: true } : o,
    );
    const c = compareModels(sampled, outs, { modelA: 'A', modelB: 'B', depth: 1 });
    expect(c.test).toBe('unpaired (Fisher exact)');
    const reason = c.categories.find((x) => x.categoryId === 'reason');
    expect(reason?.a.incidence).toBeCloseTo(20, 10);
    expect(reason?.p).toBeCloseTo(fisherExactTwoSided(20, 80, 0, 200), 15);
  });

  it('rejects unknown models', () => {
    expect(() => compareModels(planted, outcomes, { modelA: 'A', modelB: 'Z' })).toThrow(/Z is not in this run/);
    expect(() => compareModels(planted, outcomes, { modelA: 'A', modelB: 'A' })).toThrow(/two different models/);
  });

  it('refuses a model whose failures were not analysed (run --models), instead of reading it as error-free', () => {
    // B failed 30 of 200 predictions, but none of its failures was sampled.
    const oneModel = {
      ...planted,
      failures: planted.failures.filter((f) => f.model === 'A'),
      population: planted.population.map((p) => (p.model === 'B' ? { ...p, failures: 30, sampled: 0 } : p)),
    };
    expect(() => compareModels(oneModel, outcomes, { modelA: 'A', modelB: 'B' })).toThrow(
      /B's failures were not analysed.*one model only \(A\)/,
    );
    // A model that failed nothing is comparable: its zero counts are real.
    const perfect = { ...oneModel, population: planted.population.map((p) => (p.model === 'B' ? { ...p, failures: 0, sampled: 0 } : p)) };
    const c = compareModels(perfect, undefined, { modelA: 'A', modelB: 'B' });
    expect(c.categories.length).toBeGreaterThan(0);
    expect(c.categories.every((x) => x.b.count === 0)).toBe(true);
    const reason = c.categories.find((x) => x.categoryId === 'reason');
    expect(reason?.significant).toBe(true);
    expect(reason?.b.incidenceHigh).toBeGreaterThan(0);
    expect(reason?.differenceLow).toBeGreaterThan(0);
  });
});
