import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { categoryLookup } from './category-paths.js';
import { latestPerFailure } from './latest-reviews.js';
import type { Review } from './review.js';

/**
 * Failures with the reviewer's category in place of the judge's where a review chose one (the latest review
 * of each failure), for charts "by human category". Reviews naming a category the taxonomy no longer has
 * (the run was re-built since) are left out and counted.
 */
export function withHumanCategories<F extends { id: string; path: string[] }>(
  failures: readonly F[],
  taxonomy: TaxonomyNode,
  reviews: readonly Review[],
): { failures: F[]; replaced: number; stale: number } {
  const lookup = categoryLookup(taxonomy);
  const latest = latestPerFailure(reviews.filter((r) => r.humanPath !== undefined));
  let replaced = 0;
  let stale = 0;
  const out = failures.map((f) => {
    const path = latest.get(f.id)?.humanPath;
    if (!path || f.path.length === 0) return f;
    if (!lookup.isLeafPath(path)) {
      stale++;
      return f;
    }
    replaced++;
    return { ...f, path };
  });
  return { failures: out, replaced, stale };
}
