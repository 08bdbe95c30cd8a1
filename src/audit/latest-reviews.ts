import type { Review } from './review.js';

/** Each reviewer's latest review of each failure (reviews are appended; a later one replaces an earlier one). */
export function latestPerReviewer(reviews: readonly Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    const key = `${r.failureId}\u0000${r.reviewer}`;
    const seen = latest.get(key);
    if (!seen || seen.reviewedAt <= r.reviewedAt) latest.set(key, r);
  }
  return [...latest.values()];
}

/** The latest review of each failure, whoever made it: the human values of the errors file and `--human`. */
export function latestPerFailure(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    const seen = latest.get(r.failureId);
    if (!seen || seen.reviewedAt <= r.reviewedAt) latest.set(r.failureId, r);
  }
  return latest;
}
