import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView } from '../store/run-data.js';
import { benjaminiHochbergAdjust, holmAdjust } from './multiple-testing.js';
import { newcombeFromIntervals, productInterval, wilsonInterval } from './proportions.js';
import { type CategoryEstimate, estimateShares, type FailureRate, failureRate } from './weighted-shares.js';

/** One model's (or one run's) figures in one category. */
export interface ModelSide {
  /** Placed failures in the category (unweighted) and in all. */
  count: number;
  n: number;
  /** Weighted share of failures in the category, with its 95% Wilson interval. */
  share: number;
  ciLow: number;
  ciHigh: number;
  /** Estimated failures in the category per 100 predictions (share × failure rate, the interval from both); undefined without population. */
  incidence?: number;
  incidenceLow?: number;
  incidenceHigh?: number;
}

/**
 * One category estimate as a side's figures: the incidence is the share times the failure rate, its
 * interval combines both one's intervals (productInterval); left out when the failure rate is unknown.
 */
export function sideFromEstimate(e: CategoryEstimate, rate: FailureRate | undefined, z?: number): ModelSide {
  const side: ModelSide = { count: e.count, n: e.n, share: e.share, ciLow: e.ciLow, ciHigh: e.ciHigh };
  if (rate && rate.failures === 0) {
    // No failures at all: every category's incidence is 0, bounded above by the failure rate's own interval.
    side.incidence = 0;
    side.incidenceLow = 0;
    side.incidenceHigh = wilsonInterval(0, rate.predictions, z).high * 100;
  } else if (rate) {
    // Both factors are estimates: a share of 100% has an upper bound of 100%, and scaling that by the
    // failure rate alone put the upper bound on the estimate itself ("35.00 [27.46, 35.00]").
    const ci = productInterval(e.share, { low: e.ciLow, high: e.ciHigh }, rate.rate, wilsonInterval(rate.failures, rate.predictions, z));
    side.incidence = e.share * rate.rate * 100;
    side.incidenceLow = ci.low * 100;
    side.incidenceHigh = ci.high * 100;
  }
  return side;
}

/** Figures of one side for every category at `depth`, in the order of `categories`. */
export function modelSide(
  failures: readonly FailureView[],
  weights: ReadonlyMap<string, number>,
  population: readonly PopulationStats[],
  categories: readonly string[],
  depth: number,
  z?: number,
): ModelSide[] {
  const rate = failureRate(population);
  return estimateShares(failures, weights, categories, depth, z).map((e) => sideFromEstimate(e, rate, z));
}

/**
 * Incidence of `minuend` minus that of `subtrahend`, per 100 predictions, with Newcombe's 95% interval;
 * empty when either side's incidence is unknown.
 */
export function incidenceDifference(
  minuend: ModelSide,
  subtrahend: ModelSide,
): { difference?: number; differenceLow?: number; differenceHigh?: number } {
  if (minuend.incidence === undefined || subtrahend.incidence === undefined) return {};
  const d = newcombeFromIntervals(
    minuend.incidence / 100,
    { low: (minuend.incidenceLow ?? 0) / 100, high: (minuend.incidenceHigh ?? 0) / 100 },
    subtrahend.incidence / 100,
    { low: (subtrahend.incidenceLow ?? 0) / 100, high: (subtrahend.incidenceHigh ?? 0) / 100 },
  );
  return { difference: d.difference * 100, differenceLow: d.low * 100, differenceHigh: d.high * 100 };
}

/** p adjusted over every tested category (Holm and Benjamini–Hochberg); significance by Holm below alpha. */
export interface AdjustedP {
  pHolm: number;
  pBH: number;
  significant: boolean;
}

/** Adds the adjusted p values to every row, adjusting over all of them together. */
export function withAdjustedP<T extends { p: number }>(rows: readonly T[], alpha: number): (T & AdjustedP)[] {
  const holm = holmAdjust(rows.map((r) => r.p));
  const bh = benjaminiHochbergAdjust(rows.map((r) => r.p));
  return rows.map((r, i) => ({ ...r, pHolm: holm[i], pBH: bh[i], significant: holm[i] < alpha }));
}

/**
 * The number of predictions that `placed` failures were observed in: predictions × placed / failures.
 * With every failure analysed it is simply the predictions; under sampling it scales them by the sampling
 * fraction, so a count test of placed failures against it compares incidences at the sampled rate
 * (exact for a uniform sampling fraction, an approximation otherwise). Without population data it falls
 * back to `placed`, and the test then compares shares of failures.
 */
export function effectivePredictions(placed: number, population: readonly PopulationStats[]): number {
  const rate = failureRate(population);
  if (!rate) return placed;
  // A model that failed nothing was observed on all its predictions.
  if (rate.failures === 0) return rate.predictions;
  return Math.max(placed, Math.round((rate.predictions * Math.min(placed, rate.failures)) / rate.failures));
}
