import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec } from '../../test/support/chart-run.js';
import { compareModels } from './compare.js';
import { diffRuns } from './diff.js';
import { noErrorLines, withoutNoError } from './no-error.js';
import { computeSignatures } from './signatures.js';

const taxonomy = [
  { id: 'calc', name: 'Calculation' },
  { id: 'fact', name: 'Facts' },
  { id: 'noerr', name: 'No error found' },
];

/** Model A: 6 Calculation, 2 Facts, 2 with no error; model B: 4 Calculation, 4 Facts; 100 predictions each, all failures sampled. */
function specs(): FailureSpec[] {
  const of = (model: string, leaf: string, n: number, start: number): FailureSpec[] =>
    Array.from({ length: n }, (_, i) => ({ model, exampleId: `e${start + i}`, path: [leaf], hasError: leaf !== 'noerr' }));
  return [
    ...of('A', 'calc', 6, 0),
    ...of('A', 'fact', 2, 6),
    ...of('A', 'noerr', 2, 8),
    ...of('B', 'calc', 4, 0),
    ...of('B', 'fact', 4, 4),
  ];
}
const run = buildTestRun({ taxonomy, failures: specs() });
const rowsOf = (includeNoError: boolean) =>
  computeSignatures(run, { groupings: [{ by: 'model' }], includeNoError }).filter((r) => r.group === 'A' && r.depth === 1);

describe('analyses that found no error', () => {
  it('leave the signature shares and the failure rate by default: A is 6/8 Calculation, 8 errors per 100 predictions', () => {
    const rows = rowsOf(false);
    expect(rows.map((r) => r.categoryPath[0])).toEqual(['Calculation', 'Facts']);
    const calc = rows.find((r) => r.categoryId === 'calc')!;
    expect(calc).toMatchObject({ count: 6, n: 8 });
    expect(calc.share).toBeCloseTo(6 / 8, 12);
    expect(rows.reduce((s, r) => s + (r.incidence ?? 0), 0)).toBeCloseTo(8, 9);
  });

  it('stay a category of their own with includeNoError', () => {
    const rows = rowsOf(true);
    expect(rows.find((r) => r.categoryId === 'noerr')).toMatchObject({ count: 2, n: 10 });
    expect(rows.find((r) => r.categoryId === 'calc')!.share).toBeCloseTo(6 / 10, 12);
    expect(rows.reduce((s, r) => s + (r.incidence ?? 0), 0)).toBeCloseTo(10, 9);
  });

  it('are neither tested nor corrected in compare and diff by default', () => {
    const compared = compareModels(run, undefined, { modelA: 'A', modelB: 'B' });
    expect(compared.categories.map((c) => c.categoryId)).toEqual(['calc', 'fact']);
    const kept = compareModels(run, undefined, { modelA: 'A', modelB: 'B', includeNoError: true });
    expect(kept.categories.map((c) => c.categoryId)).toContain('noerr');
    expect(diffRuns(run, run).categories.map((c) => c.key)).toEqual(['calc', 'fact']);
    expect(diffRuns(run, run, { includeNoError: true }).categories.map((c) => c.key)).toContain('noerr');
  });

  it('are reported on their own line per group, out of the analysed failures', () => {
    const lines = noErrorLines(run.failures, (f) => f.model);
    expect(lines.map((l) => [l.group, l.hits, l.n])).toEqual([
      ['A', 2, 10],
      ['B', 0, 8],
    ]);
    expect(lines[0].ciLow).toBeLessThan(0.2);
    expect(lines[0].ciHigh).toBeGreaterThan(0.2);
  });

  it('shrink the stratum failure count by their share, keeping unanalysable failures', () => {
    const withUnanalysable = buildTestRun({ taxonomy, failures: specs(), unanalysable: { 'bench/A': 5 } });
    const a = withoutNoError(withUnanalysable).population.find((p) => p.model === 'A')!;
    expect(a.failures).toBeCloseTo(5 + 10 * (8 / 10), 12);
    expect(a.unanalysable).toBe(5);
  });
});
