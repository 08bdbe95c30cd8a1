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

/** Failures of a stratum that could be analysed: all but infrastructure errors and log-likelihood rows. */
export function analysableFailures(p: PopulationStats): number {
  return p.failures - p.unanalysable;
}

/**
 * Weight of each placed failure: analysable failures / placed failures of its (dataset, model) stratum,
 * i.e. how many of the stratum's failures it stands for (unanalysable ones are never sampled, so they stand
 * for nothing). Sampling caps each stratum separately, so without weights a model with 1,000 failures
 * sampled down to 50 would count as much as one with 50 failures in a pooled share. Dividing by the placed
 * count rather than the sampled count keeps a stratum's total weight equal to its analysable failures when
 * some analyses failed. Strata absent from the population get weight 1.
 */
export function samplingWeights(placed: readonly FailureView[], population: readonly PopulationStats[]): Map<string, number> {
  const placedPerStratum = new Map<string, number>();
  for (const f of placed) {
    const key = stratumKey(f.dataset, f.model);
    placedPerStratum.set(key, (placedPerStratum.get(key) ?? 0) + 1);
  }
  const failuresPerStratum = new Map(population.map((p) => [stratumKey(p.dataset, p.model), analysableFailures(p)]));
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
    // Stryker disable next-line ConditionalExpression: an undefined category is in no list of categories asked for
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
  /** Analysable failures. */
  failures: number;
  /** Predictions less the unanalysable failures: the predictions whose outcome could be analysed. */
  predictions: number;
  /** Failures that could not be analysed, left out of both counts above. */
  unanalysable: number;
  /** failures / predictions. */
  rate: number;
}

/**
 * Failure rate over some population strata, counting analysable failures only: a provider error or a
 * log-likelihood row says nothing about what the model's errors are made of, so it is neither a failure nor
 * a prediction here. Undefined when no strata or no such predictions. Pass analysed strata only (see
 * analysedStrata): a stratum whose failures were not analysed would add failures no share stands for.
 */
export function failureRate(rows: readonly PopulationStats[]): FailureRate | undefined {
  let failures = 0;
  let predictions = 0;
  let unanalysable = 0;
  for (const r of rows) {
    failures += analysableFailures(r);
    predictions += r.predictions - r.unanalysable;
    unanalysable += r.unanalysable;
  }
  // no rows, or only unanalysable predictions: no rate
  if (predictions <= 0) return undefined;
  return { failures, predictions, unanalysable, rate: failures / predictions };
}
