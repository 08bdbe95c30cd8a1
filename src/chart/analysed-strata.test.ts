import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec } from '../../test/support/chart-run.js';
import { analysedStrata, populationWarnings, samplingFractionWarnings } from './analysed-strata.js';
import { compareModels } from './compare.js';
import { diffRuns } from './diff.js';
import { computeProfiles } from './profiles.js';
import { computeSignatures } from './signatures.js';
import { placedFailures } from './weighted-shares.js';

const taxonomy = [
  { id: 'arith', name: 'Arithmetic' },
  { id: 'logic', name: 'Logic' },
];

function fail(model: string, n: number, path: string[], offset = 0, dataset = 'bench'): FailureSpec[] {
  return Array.from({ length: n }, (_, i) => ({ model, dataset, exampleId: `e${offset + i}`, path }));
}

describe('strata whose failures were not analysed', () => {
  // The reviewer's case: run 1 analysed A (20 arithmetic) and B (20 logic); run 2 analysed A only (`run --models A`),
  // B's 20 failures are counted but none was sampled.
  const both = buildTestRun({
    taxonomy,
    failures: [...fail('A', 20, ['arith']), ...fail('B', 20, ['logic'])],
    predictions: { 'bench/A': 100, 'bench/B': 100 },
  });
  const onlyA = buildTestRun({
    taxonomy,
    failures: fail('A', 20, ['arith']),
    predictions: { 'bench/A': 100, 'bench/B': 100 },
    totalFailures: { 'bench/B': 20 },
  });

  it('diff compares only strata analysed in both runs: nothing grew and nothing vanished', () => {
    const d = diffRuns(both, onlyA);
    expect(d.categories.map((c) => [c.key, c.status, c.first.incidence, c.second.incidence, c.significant])).toEqual([
      ['arith', 'no significant change', 20, 20, false],
    ]);
    expect(d.categories[0].p).toBe(1);
    expect(d.warnings.join('\n')).toMatch(/left out: B on bench/);
  });

  it('signatures do not turn the unanalysed failures into the analysed strata’s categories', () => {
    // B failed 60 of 100, none analysed: before the fix bench's arithmetic incidence was 1 × 80/200 = 40 per 100.
    const run = buildTestRun({
      taxonomy,
      failures: fail('A', 20, ['arith']),
      predictions: { 'bench/A': 100, 'bench/B': 100 },
      totalFailures: { 'bench/B': 60 },
    });
    const rows = computeSignatures(run, { groupings: [{ by: 'dataset' }], depths: [1] });
    expect(rows.find((r) => r.categoryId === 'arith')?.incidence).toBeCloseTo(20, 12);
    expect(computeProfiles(run)[0].failureRate).toBeCloseTo(0.2, 12);
    const split = analysedStrata(run.population, placedFailures(run.failures));
    expect(split.leftOut.map((p) => p.model)).toEqual(['B']);
    expect(populationWarnings(run.population, placedFailures(run.failures)).join('\n')).toMatch(/B on bench \(60 failures\)/);
  });

  it('keeps strata that failed nothing: their predictions lower the rate', () => {
    const run = buildTestRun({ taxonomy, failures: fail('A', 20, ['arith']), predictions: { 'bench/A': 100, 'bench/B': 100 } });
    const rows = computeSignatures(run, { groupings: [{ by: 'dataset' }], depths: [1] });
    expect(rows.find((r) => r.categoryId === 'arith')?.incidence).toBeCloseTo(10, 12);
    expect(populationWarnings(run.population, placedFailures(run.failures))).toEqual([]);
  });
});

describe('failures that cannot be analysed', () => {
  // A on bench: 100 predictions, 30 analysable failures (10 sampled, all arithmetic) and 20 provider errors.
  const run = buildTestRun({
    taxonomy,
    failures: fail('A', 10, ['arith']),
    predictions: { 'bench/A': 100 },
    totalFailures: { 'bench/A': 30 },
    unanalysable: { 'bench/A': 20 },
  });

  it('are left out of failure rates and incidence', () => {
    const [arith] = computeSignatures(run, { groupings: [{ by: 'model' }], depths: [1] });
    // 30 analysable failures over the 80 predictions whose outcome could be analysed
    expect(arith.incidence).toBeCloseTo((30 / 80) * 100, 12);
    const [profile] = computeProfiles(run);
    expect(profile.failureRate).toBeCloseTo(30 / 80, 12);
    expect(profile.unanalysable).toBe(20);
    expect(profile.failureRateLow).toBeLessThan(30 / 80);
    expect(profile.failureRateHigh).toBeGreaterThan(30 / 80);
  });

  it('weigh nothing in pooled shares: each sampled failure stands for its stratum’s analysable failures', () => {
    // d2: 10 logic failures, all sampled. Pooled over A: 30 arithmetic vs 10 logic, not 50 vs 10.
    const pooled = buildTestRun({
      taxonomy,
      failures: [...fail('A', 10, ['arith']), ...fail('A', 10, ['logic'], 100, 'd2')],
      predictions: { 'bench/A': 100, 'd2/A': 100 },
      totalFailures: { 'bench/A': 30 },
      unanalysable: { 'bench/A': 20 },
    });
    const rows = computeSignatures(pooled, { groupings: [{ by: 'model' }], depths: [1] });
    expect(rows.find((r) => r.categoryId === 'arith')?.share).toBeCloseTo(30 / 40, 12);
  });

  it('are named in a warning, and a stratum with only unanalysable failures is left out', () => {
    const withLogLikelihood = buildTestRun({
      taxonomy,
      failures: fail('A', 10, ['arith']),
      predictions: { 'bench/A': 100, 'bench/B': 100 },
      totalFailures: { 'bench/A': 30, 'bench/B': 0 },
      unanalysable: { 'bench/A': 20, 'bench/B': 40 },
    });
    const warnings = populationWarnings(withLogLikelihood.population, placedFailures(withLogLikelihood.failures)).join('\n');
    expect(warnings).toMatch(/B on bench \(40 failures\)/);
    expect(warnings).toMatch(/60 failures could not be analysed/);
    expect(computeProfiles(withLogLikelihood)[0].failureRate).toBeCloseTo(30 / 80, 12);
  });
});

describe('sampling fractions and the unweighted tests', () => {
  it('warns when a side’s strata were sampled at different fractions, and not when uniformly', () => {
    const uneven = buildTestRun({
      taxonomy,
      failures: [...fail('A', 4, ['arith'], 0, 'd1'), ...fail('A', 4, ['logic'], 0, 'd2'), ...fail('B', 4, ['arith'], 0, 'd1')],
      predictions: { 'd1/A': 100, 'd2/A': 100, 'd1/B': 100, 'd2/B': 100 },
      totalFailures: { 'd1/A': 40, 'd2/A': 4, 'd1/B': 40 },
    });
    const placed = placedFailures(uneven.failures);
    const popA = uneven.population.filter((p) => p.model === 'A');
    expect(samplingFractionWarnings('A', popA, placed).join('')).toMatch(/A: between 10% and 100%.*approximate/);
    const even = uneven.population.map((p) => (p.dataset === 'd2' && p.model === 'A' ? { ...p, failures: 40 } : p));
    expect(
      samplingFractionWarnings(
        'A',
        even.filter((p) => p.model === 'A'),
        placed,
      ),
    ).toEqual([]);
    const c = compareModels(uneven, undefined, { modelA: 'A', modelB: 'B' });
    expect(c.warnings.join('\n')).toMatch(/^A: between/m);
  });
});
