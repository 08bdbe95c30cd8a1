/** Confidence intervals for proportions and differences of proportions. */

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a binomial proportion `successes / n`.
 * Chosen over the Wald interval because it stays inside [0, 1], keeps near-nominal coverage for small n
 * and for shares near 0 or 1 (common here: many categories hold a few failures), and does not collapse to
 * zero width when a category is empty or holds every failure. `n` may be fractional (an effective sample
 * size under sampling weights); `successes` is then `share * n`.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = Math.min(1, Math.max(0, successes / n));
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 or 1 the bound is exactly 0 or 1; rounding would otherwise leave 1e-17 in the files.
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (Newcombe 1998, method 10) for p1 − p2 of two independent proportions,
 * built from each proportion's own interval. Taking the single intervals as arguments lets callers pass
 * Wilson intervals computed with effective sample sizes or rescaled by a failure rate.
 */
export function newcombeFromIntervals(p1: number, ci1: Interval, p2: number, ci2: Interval): Interval & { difference: number } {
  const d = p1 - p2;
  return {
    difference: d,
    low: d - Math.sqrt((p1 - ci1.low) ** 2 + (ci2.high - p2) ** 2),
    high: d + Math.sqrt((ci1.high - p1) ** 2 + (p2 - ci2.low) ** 2),
  };
}

/**
 * Interval for the product p1 × p2 of two independent proportions from each one's own interval, by
 * the MOVER method on the log scale (Zou & Donner 2008): each bound widens by the root sum of squares
 * of the factors' log distances to their bounds. So a factor at 1 with an upper bound of 1 (every
 * failure in one category) still leaves the other factor's uncertainty above the estimate. A factor
 * of 0 has no log: the product is then 0, bounded above by the product of the upper bounds.
 */
export function productInterval(p1: number, ci1: Interval, p2: number, ci2: Interval): Interval {
  if (p1 <= 0 || p2 <= 0) return { low: 0, high: ci1.high * ci2.high };
  const log = (x: number) => (x > 0 ? Math.log(x) : Number.NEGATIVE_INFINITY);
  const centre = Math.log(p1) + Math.log(p2);
  const below = Math.hypot(Math.log(p1) - log(ci1.low), Math.log(p2) - log(ci2.low));
  const above = Math.hypot(Math.log(ci1.high) - Math.log(p1), Math.log(ci2.high) - Math.log(p2));
  return { low: Math.exp(centre - below), high: Math.exp(centre + above) };
}

/** Newcombe's interval for x1/n1 − x2/n2 with Wilson intervals for each proportion. */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval & { difference: number } {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  return newcombeFromIntervals(p1, wilsonInterval(x1, n1, z), p2, wilsonInterval(x2, n2, z));
}
