import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../chart/proportions.js';
import { reviewsForMargin } from './reviews-needed.js';

describe('reviews needed for a ±5 point agreement interval', () => {
  it('is the smallest n whose Wilson interval is at most ±5 points', () => {
    for (const p of [0.5, 0.8, 0.95]) {
      const n = reviewsForMargin(p, 0.05);
      const width = (k: number) => {
        const ci = wilsonInterval(p * k, k);
        return (ci.high - ci.low) / 2;
      };
      expect(width(n)).toBeLessThanOrEqual(0.05);
      expect(width(n - 1)).toBeGreaterThan(0.05);
    }
  });

  it('near the textbook figure: about 384 reviews at 50% agreement, fewer at 80%', () => {
    // Wald: 1.96² · 0.25 / 0.05² = 384.1; Wilson needs slightly fewer at p = 0.5.
    expect(reviewsForMargin(0.5)).toBeGreaterThan(370);
    expect(reviewsForMargin(0.5)).toBeLessThan(390);
    expect(reviewsForMargin(0.8)).toBeLessThan(reviewsForMargin(0.5));
    expect(reviewsForMargin(undefined)).toBe(reviewsForMargin(0.5));
  });
});
