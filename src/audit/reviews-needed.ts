import { wilsonInterval } from '../chart/proportions.js';

/**
 * Reviews in total for the Wilson 95% interval of an agreement rate `p` to be at most ±`margin` wide
 * (half-width), assuming the rate stays where it is; 0.5 (the widest case) when nothing is reviewed yet.
 */
export function reviewsForMargin(p: number | undefined, margin = 0.05): number {
  const rate = p === undefined || !Number.isFinite(p) ? 0.5 : p;
  const halfWidth = (n: number) => {
    const ci = wilsonInterval(rate * n, n);
    return (ci.high - ci.low) / 2;
  };
  let hi = 1;
  while (halfWidth(hi) > margin) hi *= 2;
  let lo = Math.max(1, hi / 2);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (halfWidth(mid) <= margin) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}
