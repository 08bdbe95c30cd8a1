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
  return { n, hits, rate: n > 0 ? hits / n : Number.NaN, ciLow: ci.low, ciHigh: ci.high };
}
