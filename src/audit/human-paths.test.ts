import { describe, expect, it } from 'vitest';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { withHumanCategories } from './human-paths.js';
import type { Review } from './review.js';

const node = (id: string, name: string, depth: number, children: TaxonomyNode[] = []): TaxonomyNode => ({
  id,
  name,
  description: '',
  depth,
  count: 0,
  share: 0,
  children,
});
const taxonomy = node('root', 'LLM Errors', 0, [node('a', 'A', 1, [node('a1', 'A1', 2), node('a2', 'A2', 2)]), node('b', 'B', 1)]);
const review = (failureId: string, humanPath: string[] | undefined, reviewedAt: string): Review => ({
  failureId,
  reviewer: 'dana',
  reviewedAt,
  mode: 'blind',
  humanPath,
  note: '',
  judgePath: ['a', 'a1'],
  judgeTitle: 't',
});

describe('human categories in place of the judge’s', () => {
  it('uses the latest review with a category, keeps the judge’s path elsewhere, skips stale paths', () => {
    const failures = [
      { id: 'f1', path: ['a', 'a1'] },
      { id: 'f2', path: ['a', 'a1'] },
      { id: 'f3', path: ['a', 'a2'] },
      { id: 'f4', path: ['b'] },
    ];
    const reviews = [
      review('f1', ['a', 'a2'], '2026-01-01T00:00:00Z'),
      review('f1', ['b'], '2026-01-02T00:00:00Z'),
      review('f2', undefined, '2026-01-02T00:00:00Z'),
      review('f3', ['gone'], '2026-01-02T00:00:00Z'),
    ];
    const result = withHumanCategories(failures, taxonomy, reviews);
    expect(result.failures.map((f) => f.path)).toEqual([['b'], ['a', 'a1'], ['a', 'a2'], ['b']]);
    expect(result.replaced).toBe(1);
    expect(result.stale).toBe(1);
  });
});
