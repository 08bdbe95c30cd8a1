import { describe, expect, it } from 'vitest';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { computeAuditStats } from './audit-stats.js';
import type { Review } from './review.js';

const node = (id: string, name: string, depth: number, count: number, children: TaxonomyNode[] = []): TaxonomyNode => ({
  id,
  name,
  description: '',
  depth,
  count,
  share: 0,
  children,
});
// Reasoning (60: Arithmetic 40, Logic 20) and Format (40).
const taxonomy = node('root', 'LLM Errors', 0, 100, [
  node('r', 'Reasoning', 1, 60, [node('ar', 'Arithmetic', 2, 40), node('lo', 'Logic', 2, 20)]),
  node('f', 'Format', 1, 40),
]);

let clock = 0;
function review(failureId: string, reviewer: string, judge: string[], human: string[] | undefined, extra: Partial<Review> = {}): Review {
  clock++;
  return {
    failureId,
    reviewer,
    reviewedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
    mode: 'blind',
    humanPath: human,
    note: '',
    judgePath: judge,
    judgeTitle: 't',
    ...extra,
  };
}

const AR = ['r', 'ar'];
const LO = ['r', 'lo'];
const F = ['f'];

describe('audit statistics of a run', () => {
  it('top level and leaf differ when the reviewer moves a failure within the same top-level category', () => {
    const reviews = [
      review('1', 'dana', AR, AR, { verdict: 'accept' }),
      review('2', 'dana', AR, LO, { verdict: 'partly', judgeAcceptable: true }),
      review('3', 'dana', F, F, { verdict: 'accept' }),
      review('4', 'dana', F, AR, { verdict: 'reject' }),
    ];
    const s = computeAuditStats(taxonomy, reviews, { seed: 1 });
    // Top level: 1 R/R, 2 R/R, 3 F/F, 4 F/R → 3 of 4. Leaf: only 1 and 3 agree → 2 of 4.
    expect(s.topLevel.accuracy.value).toBeCloseTo(0.75, 12);
    expect(s.leaf.accuracy.value).toBeCloseTo(0.5, 12);
    // Blind reviews acceptable: agreements (1, 3) and the one marked acceptable (2) → 3 of 4.
    expect(s.acceptable?.value).toBeCloseTo(0.75, 12);
    expect(s.analysis.accept.value).toBeCloseTo(0.5, 12);
    expect(s.interReviewer).toBeUndefined();
    // Corrected: Reasoning keeps its 2 of 2, Format keeps 1 of 2 → 0.6 + 0.4·0.5 = 0.8.
    expect(s.shares.find((x) => x.label === 'Reasoning')?.corrected.value).toBeCloseTo(0.8, 12);
    expect(s.shares.find((x) => x.label === 'Format')?.judgeShare).toBeCloseTo(0.4, 12);
    expect(s.needed.more).toBe(s.needed.total - 4);
    expect(s.verdict).toMatch(/^Top-level agreement 75% \[\d+%, \d+%\] from 4 reviews: about \d+ more reviews/);
  });

  it('a later review by the same reviewer replaces the earlier one; two reviewers give kappa and alpha', () => {
    const reviews = [
      review('1', 'dana', AR, LO),
      review('1', 'dana', AR, AR),
      review('2', 'dana', F, F),
      review('3', 'dana', F, F),
      review('1', 'sam', AR, AR),
      review('2', 'sam', F, AR),
      review('3', 'sam', F, F),
    ];
    const s = computeAuditStats(taxonomy, reviews, { seed: 1 });
    expect(s.reviewers).toEqual(['dana', 'sam']);
    expect(s.failuresReviewed).toBe(3);
    const inter = s.interReviewer?.topLevel;
    expect(inter?.items).toBe(3);
    // dana R, F, F against sam R, R, F: agreement 2/3; chance (1/3·2/3 + 2/3·1/3) = 4/9 → kappa (2/3 − 4/9)/(5/9) = 0.4.
    expect(inter?.kappa?.value).toBeCloseTo(0.4, 12);
    // Alpha by hand: 6 values, R×3, F×3; one disagreeing unit gives D_o = 2/6; D_e = (36 − 18)/30 = 0.6 → 1 − (1/3)/0.6 = 4/9.
    expect(inter?.alpha.value).toBeCloseTo(4 / 9, 12);
  });

  it('no reviews: a verdict that says how many to start with', () => {
    const s = computeAuditStats(taxonomy, [], { seed: 1 });
    expect(s.topLevel.n).toBe(0);
    expect(s.verdict).toMatch(/^No category reviews yet: about \d+ reviews/);
  });
});
