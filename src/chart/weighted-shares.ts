import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView } from '../store/run-data.js';
import { wilsonInterval } from './proportions.js';
import { categoryAtDepth } from './taxonomy-index.js';

/** Key of one sampling stratum: a (dataset, model) pair, as sampled by prepare/. */
export function stratumKey(dataset: string, model: string): string {
  return `${dataset}\u0000${model}`;
}

/** Failures that were analysed and filed in the taxonomy: the ones every share is computed over. */
export function placedFailures(failures: readonly FailureView[]): FailureView[] {
  return failures.filter((f) => f.analysis !== undefined && f.path.length > 0);
}

/**
 * Weight of each placed failure: failures / placed failures of its (dataset, model) stratum, i.e. how many
 * of the stratum's failures it stands for. Sampling caps each stratum separately, so without weights a
 * model with 1,000 failures sampled down to 50 would count as much as one with 50 failures in a pooled
 * share. Dividing by the placed count rather than the sampled count keeps a stratum's total weight equal to
 * its failure count when some analyses failed (it equals failures / sampled when none did). Strata absent
 * from the population get weight 1.
 */
export function samplingWeights(placed: readonly FailureView[], population: readonly PopulationStats[]): Map<string, number> {
  const placedPerStratum = new Map<string, number>();
  for (const f of placed) {
    const key = stratumKey(f.dataset, f.model);
    placedPerStratum.set(key, (placedPerStratum.get(key) ?? 0) + 1);
  }
  const failuresPerStratum = new Map(population.map((p) => [stratumKey(p.dataset, p.model), p.failures]));
  const weights = new Map<string, number>();
  for (const f of placed) {
    const key = stratumKey(f.dataset, f.model);
    const total = failuresPerStratum.get(key);
    weights.set(f.id, total === undefined ? 1 : total / (placedPerStratum.get(key) ?? 1));
  }
  return weights;
}

export interface CategoryEstimate {
  categoryId: string;
  /** Placed failures of the group in this category (unweighted). */
  count: number;
  /** Placed failures of the group (unweighted). */
  n: number;
  /** Weighted share of the group's failures in this category. */
  share: number;
  /** Kish effective sample size (Σw)² / Σw²; equals n when all weights are equal. */
  effectiveN: number;
  /** Sum of weights in the category: the estimated number of the group's failures in it. */
  estimatedFailures: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Weighted share of `placed` in each category at `depth`, with a Wilson interval on the Kish effective
 * sample size (the usual design-effect adjustment; it reduces to the plain Wilson interval on count / n
 * when sampling ratios are equal). Every category in `categories` gets a row, empty ones included.
 */
export function estimateShares(
  placed: readonly FailureView[],
  weights: ReadonlyMap<string, number>,
  categories: readonly string[],
  depth: number,
  z?: number,
): CategoryEstimate[] {
  const counts = new Map<string, number>();
  const weighted = new Map<string, number>();
  let totalWeight = 0;
  let sumSquares = 0;
  for (const f of placed) {
    const w = weights.get(f.id) ?? 1;
    totalWeight += w;
    sumSquares += w * w;
    const c = categoryAtDepth(f.path, depth);
    if (c === undefined) continue;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    weighted.set(c, (weighted.get(c) ?? 0) + w);
  }
  const n = placed.length;
  const effectiveN = sumSquares > 0 ? (totalWeight * totalWeight) / sumSquares : 0;
  return categories.map((categoryId) => {
    const share = totalWeight > 0 ? (weighted.get(categoryId) ?? 0) / totalWeight : 0;
    const ci = wilsonInterval(share * effectiveN, effectiveN, z);
    return {
      categoryId,
      count: counts.get(categoryId) ?? 0,
      n,
      share,
      effectiveN,
      estimatedFailures: weighted.get(categoryId) ?? 0,
      ciLow: n > 0 ? ci.low : 0,
      ciHigh: n > 0 ? ci.high : 0,
    };
  });
}

export interface FailureRate {
  failures: number;
  predictions: number;
  /** failures / predictions. */
  rate: number;
}

/** Failure rate over some population strata; undefined when none or when they hold no predictions. */
export function failureRate(rows: readonly PopulationStats[]): FailureRate | undefined {
  let failures = 0;
  let predictions = 0;
  for (const r of rows) {
    failures += r.failures;
    predictions += r.predictions;
  }
  if (rows.length === 0 || predictions === 0) return undefined;
  return { failures, predictions, rate: failures / predictions };
}
