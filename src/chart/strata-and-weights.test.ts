import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec } from '../../test/support/chart-run.js';
import type { PopulationStats } from '../prepare/failure.js';
import { leftOutWarnings, samplingFractionWarnings, unanalysableWarnings } from './analysed-strata.js';
import { noErrorLines, withoutNoError } from './no-error.js';
import { estimateShares, failureRate, placedFailures, samplingWeights } from './weighted-shares.js';

const taxonomy = [
  { id: 'arith', name: 'Arithmetic' },
  { id: 'noerr', name: 'No error found' },
];

function stratum(model: string, failures: number, extra: Partial<PopulationStats> = {}): PopulationStats {
  return { dataset: 'bench', model, predictions: 100, failures, sampled: failures, threshold: 1, unanalysable: 0, unscored: 0, ...extra };
}

function fail(model: string, n: number, path: string[], extra: Partial<FailureSpec> = {}): FailureSpec[] {
  return Array.from({ length: n }, (_, i) => ({ model, exampleId: `e${i}`, path, ...extra }));
}

describe('placed failures and sampling weights', () => {
  const run = buildTestRun({
    taxonomy,
    failures: [...fail('A', 4, ['arith']), ...fail('B', 1, []), ...fail('C', 1, ['arith'], { unanalysed: true })],
    totalFailures: { 'bench/A': 10 },
  });

  it('counts a failure placed only when it was analysed and filed', () => {
    expect(placedFailures(run.failures).map((f) => f.model)).toEqual(['A', 'A', 'A', 'A']);
  });

  it('weighs each placed failure by the analysable failures it stands for; 1 where the stratum is unknown', () => {
    const placed = placedFailures(run.failures);
    const weights = samplingWeights(placed, run.population);
    expect([...weights.values()]).toEqual([2.5, 2.5, 2.5, 2.5]);
    const unknown = samplingWeights(placed, []);
    expect([...unknown.values()]).toEqual([1, 1, 1, 1]);
  });

  it('estimates shares with their weights; nothing placed gives zeros, not NaN', () => {
    const placed = placedFailures(run.failures);
    const [arith, other] = estimateShares(placed, samplingWeights(placed, run.population), ['arith', 'other'], 1);
    expect(arith).toMatchObject({ categoryId: 'arith', count: 4, n: 4, share: 1, effectiveN: 4, estimatedFailures: 10 });
    expect(other).toMatchObject({ count: 0, share: 0, estimatedFailures: 0 });
    expect(estimateShares([], new Map(), ['arith'], 1)).toEqual([
      { categoryId: 'arith', count: 0, n: 0, share: 0, effectiveN: 0, estimatedFailures: 0, ciLow: 0, ciHigh: 0 },
    ]);
  });

  it('has no failure rate without analysable predictions', () => {
    expect(failureRate([])).toBeUndefined();
    expect(failureRate([stratum('A', 5, { predictions: 5, unanalysable: 5 })])).toBeUndefined();
    expect(failureRate([stratum('A', 30, { unanalysable: 20 })])).toEqual({
      failures: 10,
      predictions: 80,
      unanalysable: 20,
      rate: 10 / 80,
    });
  });
});

describe('warnings about strata', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => stratum(`m${i}`, 3));

  it('names up to eight strata left out, then how many more', () => {
    expect(leftOutWarnings([])).toEqual([]);
    const eight = leftOutWarnings(many(8))[0];
    expect(eight.endsWith('m6 on bench (3 failures), m7 on bench (3 failures)')).toBe(true);
    const nine = leftOutWarnings(many(9))[0];
    expect(nine.endsWith('m7 on bench (3 failures) and 1 more')).toBe(true);
    expect(nine).not.toContain('m8');
  });

  it('counts the unanalysable failures of every stratum', () => {
    const rows = [stratum('A', 10, { unanalysable: 2 }), stratum('B', 5), stratum('C', 7, { unanalysable: 3 })];
    expect(unanalysableWarnings(rows)).toEqual([
      '5 failures could not be analysed (provider or sample errors, failed requests, log-likelihood tasks) and are left out of ' +
        'failure rates and incidence: A on bench: 2 of 10, C on bench: 3 of 7',
    ]);
    expect(unanalysableWarnings([stratum('B', 5)])).toEqual([]);
  });

  it('warns when the analysed fractions differ by more than 1.25 times, or one side analysed none', () => {
    const placedOf = (counts: Record<string, number>) =>
      placedFailures(buildTestRun({ taxonomy, failures: Object.entries(counts).flatMap(([m, n]) => fail(m, n, ['arith'])) }).failures);
    const strata = [stratum('A', 10), stratum('B', 10)];
    expect(samplingFractionWarnings('first run', strata, placedOf({ A: 5, B: 4 }))).toEqual([]);
    expect(samplingFractionWarnings('first run', strata, placedOf({ A: 5, B: 3 }))).toEqual([
      'first run: between 30% and 50% of the failures were analysed per (dataset, model); the p values test ' +
        'unweighted counts and only approximate the weighted incidences shown',
    ]);
    expect(samplingFractionWarnings('first run', strata, placedOf({ A: 5 }))[0]).toMatch(/^first run: between 0\.0% and 50% /);
    // a stratum without analysable failures has no fraction; one stratum alone cannot differ
    expect(samplingFractionWarnings('x', [stratum('A', 10), stratum('B', 0)], placedOf({ A: 1 }))).toEqual([]);
    expect(samplingFractionWarnings('x', [stratum('A', 10), stratum('B', 4, { unanalysable: 4 })], placedOf({ A: 1 }))).toEqual([]);
  });
});

describe('no-error analyses', () => {
  const run = buildTestRun({
    taxonomy,
    failures: [
      ...fail('B', 2, ['arith']),
      ...fail('A', 3, ['noerr'], { hasError: false }),
      ...fail('A', 1, ['arith'], { exampleId: 'x' }),
      ...fail('C', 1, ['arith'], { unanalysed: true }),
    ],
    predictions: { 'bench/A': 100, 'bench/B': 100, 'bench/C': 100, 'bench/D': 100 },
    totalFailures: { 'bench/D': 6 },
  });

  it('leave the tree, keep their failure record, and shrink only strata that had some', () => {
    const out = withoutNoError(run);
    const noError = out.failures.filter((f) => f.analysis?.hasError === false);
    expect(noError.map((f) => [f.id, f.model, f.path])).toEqual(
      run.failures.filter((f) => f.analysis?.hasError === false).map((f) => [f.id, 'A', []]),
    );
    const failures = Object.fromEntries(out.population.map((p) => [p.model, p.failures]));
    // A: 4 placed, 3 without error → 4 × 1/4; B untouched; D (nothing placed) untouched, not NaN
    expect(failures).toEqual({ A: 1, B: 2, C: 1, D: 6 });
  });

  it('are counted per group, in group order, over analysed failures with a group', () => {
    const lines = noErrorLines(run.failures, (f) => (f.model === 'B' ? '' : f.model === 'C' ? undefined : f.model));
    expect(lines.map((l) => [l.group, l.hits, l.n])).toEqual([['A', 3, 4]]);
    const byModel = noErrorLines(run.failures, (f) => f.model);
    expect(byModel.map((l) => [l.group, l.hits, l.n])).toEqual([
      ['A', 3, 4],
      ['B', 0, 2],
    ]);
  });
});
