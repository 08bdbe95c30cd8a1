import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { type AuditStats, computeAuditStats } from './audit-stats.js';
import { categoryLookup } from './category-paths.js';
import { latestPerReviewer } from './latest-reviews.js';
import type { Review } from './review.js';

/** A review as the viewer lists it (names, not node ids). */
export interface ReviewRow {
  failureId: string;
  reviewer: string;
  reviewedAt: string;
  mode: Review['mode'];
  verdict?: Review['verdict'];
  judgeCategory: string;
  humanCategory?: string;
  judgeAcceptable?: boolean;
  note: string;
}

/** What the viewer shows of a run's audit, read-only: the figures and each reviewer's latest reviews. */
export interface AuditOverview {
  stats: AuditStats;
  reviews: ReviewRow[];
}

export function buildAuditOverview(taxonomy: TaxonomyNode, reviews: readonly Review[], seed: number): AuditOverview | undefined {
  if (reviews.length === 0) return undefined;
  const lookup = categoryLookup(taxonomy);
  return {
    stats: computeAuditStats(taxonomy, reviews, { seed }),
    reviews: latestPerReviewer(reviews).map((r) => ({
      failureId: r.failureId,
      reviewer: r.reviewer,
      reviewedAt: r.reviewedAt,
      mode: r.mode,
      verdict: r.verdict,
      judgeCategory: lookup.labelOf(r.judgePath),
      humanCategory: r.humanPath ? lookup.labelOf(r.humanPath) : undefined,
      judgeAcceptable: r.judgeAcceptable,
      note: r.note,
    })),
  };
}
