import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec, REASONING_AND_FORMAT_TAXONOMY } from '../../test/support/chart-run.js';
import { productInterval, wilsonInterval } from './proportions.js';
import { computeSignatures, parseGrouping } from './signatures.js';

const taxonomy = REASONING_AND_FORMAT_TAXONOMY;

function failures(model: string, counts: Record<string, number>, dataset = 'bench', start = 0): FailureSpec[] {
  const out: FailureSpec[] = [];
  let i = start;
  for (const [leaf, n] of Object.entries(counts)) {
    const path = leaf === 'format' ? ['format'] : ['reason', leaf];
    for (let k = 0; k < n; k++)
      out.push({ model, dataset, exampleId: `e${i++}`, path, metadata: { subject: i % 2 === 0 ? 'math' : 'law' } });
  }
  return out;
}

describe('computeSignatures', () => {
  const run = buildTestRun({
    taxonomy,
    failures: [...failures('A', { arith: 6, logic: 2, format: 2 }), ...failures('B', { arith: 1, logic: 1, format: 8 })],
    predictions: { 'bench/A': 50, 'bench/B': 40 },
  });
  const rows = computeSignatures(run, { groupings: [parseGrouping('model'), parseGrouping('meta:subject')] });

  it('gives shares that sum to 1 per group and depth, with every category listed', () => {
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(`${r.groupBy}|${r.group}|${r.depth}`, (sums.get(`${r.groupBy}|${r.group}|${r.depth}`) ?? 0) + r.share);
    expect(sums.size).toBe(2 * 2 + 2 * 2); // (A, B) + (math, law), depths 1 and 2
    for (const s of sums.values()) expect(s).toBeCloseTo(1, 12);
    // depth 2: the format leaf at depth 1 stands for itself
    expect(rows.filter((r) => r.group === 'A' && r.depth === 2).map((r) => r.categoryId)).toEqual(['arith', 'logic', 'format']);
  });

  it('computes share with a Wilson interval and incidence = share × failure rate × 100, its interval from both', () => {
    const a = rows.find((r) => r.group === 'A' && r.depth === 1 && r.categoryId === 'reason');
    expect(a).toMatchObject({ count: 8, n: 10, share: 0.8, categoryPath: ['Reasoning'] });
    const ci = wilsonInterval(8, 10);
    expect(a?.ciLow).toBeCloseTo(ci.low, 12);
    expect(a?.ciHigh).toBeCloseTo(ci.high, 12);
    // A failed 10 of 50 predictions: incidence = 0.8 × 0.2 × 100 = 16 per 100 predictions
    expect(a?.incidence).toBeCloseTo(16, 12);
    // Its interval carries both the share's and the failure rate's uncertainty, so it is wider than the share's alone.
    const both = productInterval(0.8, ci, 0.2, wilsonInterval(10, 50));
    expect(a?.incidenceLow).toBeCloseTo(both.low * 100, 12);
    expect(a?.incidenceHigh).toBeCloseTo(both.high * 100, 12);
    expect(both.low * 100).toBeLessThan(ci.low * 20);
    expect(both.high * 100).toBeGreaterThan(ci.high * 20);
  });

  it('leaves incidence undefined for metadata groups', () => {
    const meta = rows.filter((r) => r.groupBy === 'meta:subject');
    expect(meta.length).toBeGreaterThan(0);
    expect(meta.every((r) => r.incidence === undefined)).toBe(true);
  });

  it('weights failures by their stratum sampling ratio when ratios differ within a group', () => {
    // dataset d1: 4 sampled of 40 failures (all arith); dataset d2: 4 sampled of 4 failures (all format)
    const weighted = buildTestRun({
      taxonomy,
      failures: [...failures('A', { arith: 4 }, 'd1'), ...failures('A', { format: 4 }, 'd2', 100)],
      totalFailures: { 'd1/A': 40, 'd2/A': 4 },
      predictions: { 'd1/A': 100, 'd2/A': 100 },
    });
    const byModel = computeSignatures(weighted, { groupings: [{ by: 'model' }], depths: [1] });
    const reason = byModel.find((r) => r.categoryId === 'reason');
    expect(reason?.count).toBe(4);
    expect(reason?.share).toBeCloseTo(40 / 44, 12);
    // estimated 40 arithmetic failures over 200 predictions
    expect(reason?.incidence).toBeCloseTo(20, 12);
    // unequal weights shrink the effective sample size, so the interval is wider than the unweighted one
    const unweighted = wilsonInterval((40 / 44) * 8, 8);
    expect((reason?.ciHigh ?? 0) - (reason?.ciLow ?? 0)).toBeGreaterThan(unweighted.high - unweighted.low);
  });

  it('ignores failures that were not analysed or not placed', () => {
    const partial = buildTestRun({
      taxonomy,
      failures: [
        ...failures('A', { arith: 3 }),
        { model: 'A', exampleId: 'x', path: ['format'], unanalysed: true },
        { model: 'A', exampleId: 'y', path: [] },
      ],
    });
    const r = computeSignatures(partial, { groupings: [{ by: 'model' }], depths: [1] });
    expect(r.find((x) => x.categoryId === 'reason')).toMatchObject({ n: 3, share: 1 });
  });

  it('rejects an unknown grouping', () => {
    expect(() => parseGrouping('subject')).toThrow(/meta:COLUMN/);
    expect(parseGrouping('dataset,model')).toEqual({ by: 'model,dataset' });
  });
});
