import { wilsonInterval } from './proportions.js';

/** A proportion with its 95% Wilson interval. */
export interface Rate {
  n: number;
  hits: number;
  rate: number;
  ciLow: number;
  ciHigh: number;
}

export function rateOf(hits: number, n: number): Rate {
  const ci = wilsonInterval(hits, n);
  // no observations: 0 / 0 is NaN, no rate
  return { n, hits, rate: hits / n, ciLow: ci.low, ciHigh: ci.high };
}
