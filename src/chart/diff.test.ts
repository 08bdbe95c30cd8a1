import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec, type NodeSpec } from '../../test/support/chart-run.js';
import { diffRuns } from './diff.js';
import { fisherExactTwoSided } from './exact-tests.js';

function fail(model: string, n: number, path: string[], offset: number): FailureSpec[] {
  return Array.from({ length: n }, (_, i) => ({ model, exampleId: `e${offset + i}`, path }));
}

const base: NodeSpec[] = [
  { id: 'arith', name: 'Arithmetic' },
  { id: 'logic', name: 'Logic' },
  { id: 'format', name: 'Answer format' },
];

describe('diffRuns', () => {
  const before = buildTestRun({
    taxonomy: base,
    failures: [...fail('A', 5, ['arith'], 0), ...fail('A', 10, ['logic'], 100), ...fail('A', 8, ['format'], 150)],
    predictions: { 'bench/A': 200 },
  });
  // second run: a new taxonomy where Logic got a new id but the same name, format vanished, a new category appeared
  const after = buildTestRun({
    taxonomy: [
      { id: 'arith', name: 'Arithmetic' },
      { id: 'logic-2', name: 'logic' },
      { id: 'refusal', name: 'Refusal' },
    ],
    failures: [...fail('A', 40, ['arith'], 0), ...fail('A', 10, ['logic-2'], 100), ...fail('A', 3, ['refusal'], 150)],
    predictions: { 'bench/A': 200 },
  });

  it('finds the planted growth significant, and labels vanished and appeared categories', () => {
    const d = diffRuns(before, after);
    const byName = new Map(d.categories.map((c) => [c.categoryPath.join(' > '), c]));
    const arith = byName.get('Arithmetic');
    expect(arith).toMatchObject({ status: 'grew', significant: true });
    expect(arith?.difference).toBeCloseTo(((40 - 5) / 200) * 100, 10);
    expect(arith?.p).toBeCloseTo(fisherExactTwoSided(40, 160, 5, 195), 15);
    expect(byName.get('Logic')).toMatchObject({
      direction: 'unchanged',
      status: 'no significant change',
      significant: false,
      key: 'logic',
    });
    expect(byName.get('Answer format')).toMatchObject({ direction: 'vanished', status: 'vanished', significant: true });
    // 0 → 3 of 200 predictions is a direction, not a change the corrected test finds.
    expect(byName.get('Refusal')).toMatchObject({ direction: 'appeared', status: 'no significant change', key: 'second:refusal' });
  });

  it('warns when taxonomies differ and reports how categories were matched', () => {
    const d = diffRuns(before, after);
    expect(d.matching).toEqual({ byId: 1, byName: 1, onlyFirst: 1, onlySecond: 1 });
    expect(d.warnings.join(' ')).toMatch(/taxonomies differ/);
    expect(diffRuns(before, before).warnings).toEqual([]);
  });

  it('finds nothing significant when a run is compared with itself', () => {
    const d = diffRuns(before, before);
    expect(d.categories.map((c) => [c.categoryPath.join(' > '), c.direction, c.status, c.significant, c.difference])).toEqual([
      ['Arithmetic', 'unchanged', 'no significant change', false, 0],
      ['Logic', 'unchanged', 'no significant change', false, 0],
      ['Answer format', 'unchanged', 'no significant change', false, 0],
    ]);
  });

  it('compares only the (dataset, model) pairs both runs hold', () => {
    const wider = buildTestRun({
      taxonomy: base,
      failures: [...fail('A', 5, ['arith'], 0), ...fail('B', 50, ['arith'], 0)],
      predictions: { 'bench/A': 200, 'bench/B': 200 },
    });
    const d = diffRuns(before, wider);
    expect(d.warnings.join(' ')).toMatch(/left out: B on bench/);
    expect(d.categories.find((c) => c.key === 'arith')).toMatchObject({ direction: 'unchanged', status: 'no significant change' });
  });
});
