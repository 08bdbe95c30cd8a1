import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { rngFor } from '../prepare/seeded-random.js';

export const DEFAULT_RESAMPLES = 2000;

export interface Estimate {
  value: number;
  /** 95% interval; NaN when it cannot be computed (no data). */
  low: number;
  high: number;
}

/** The 2.5th and 97.5th percentiles (linear interpolation) of the finite values. */
export function percentileInterval(values: readonly number[]): { low: number; high: number } {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { low: Number.NaN, high: Number.NaN };
  const at = (q: number) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  return { low: at(0.025), high: at(0.975) };
}

/**
 * Percentile bootstrap of a statistic of several numbers: resamples drawn with replacement within each group
 * (one group = plain bootstrap; groups = the strata the sample was drawn from), one interval per number.
 * The generator comes from (seed, purpose), so the same data and seed give the same intervals.
 */
export function bootstrapMany<T>(
  groups: readonly (readonly T[])[],
  statistic: (resample: T[]) => number[],
  options: { seed: number; purpose: string; resamples?: number },
): Estimate[] {
  const all = groups.flat();
  const values = statistic(all);
  const rng = rngFor(options.seed, 'audit-bootstrap', options.purpose);
  const draws: number[][] = values.map(() => []);
  if (all.length > 0)
    for (let r = 0; r < (options.resamples ?? DEFAULT_RESAMPLES); r++) {
      const resample: T[] = [];
      for (const g of groups) for (let i = 0; i < g.length; i++) resample.push(g[uniformInt(rng, 0, g.length - 1)]);
      const drawn = statistic(resample);
      for (let i = 0; i < drawn.length; i++) draws[i].push(drawn[i]);
    }
  return values.map((value, i) => ({ value, ...percentileInterval(draws[i]) }));
}

/** `bootstrapMany` for a single number. */
export function bootstrap<T>(
  groups: readonly (readonly T[])[],
  statistic: (resample: T[]) => number,
  options: { seed: number; purpose: string; resamples?: number },
): Estimate {
  return bootstrapMany(groups, (sample) => [statistic(sample)], options)[0];
}
