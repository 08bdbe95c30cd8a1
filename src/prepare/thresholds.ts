import { isScored, type PredictionOutcome } from '../ingest/prediction.js';
import { compareText } from './seeded-random.js';

/** Share of a dataset's mean score below which a prediction counts as a failure, when no threshold is given. */
export const DEFAULT_THRESHOLD_FACTOR = 0.7;

/**
 * The success threshold of every dataset present: the explicit override when there is one,
 * else round(0.7 × the dataset's mean score, 2). A prediction fails when score < threshold.
 * The mean is over the predictions that have a score: an unscored one would pull it down for nothing known.
 * A dataset none of whose predictions has a score gets threshold 0 (it has nothing to compare).
 */
export function resolveThresholds(
  predictions: readonly Pick<PredictionOutcome, 'dataset' | 'score'>[],
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const p of predictions) {
    let total = totals.get(p.dataset);
    if (!total) {
      total = { sum: 0, count: 0 };
      totals.set(p.dataset, total);
    }
    if (isScored(p)) {
      total.sum += p.score;
      total.count += 1;
    }
  }
  const thresholds: Record<string, number> = {};
  for (const dataset of [...totals.keys()].sort(compareText)) {
    const { sum, count } = totals.get(dataset) as { sum: number; count: number };
    thresholds[dataset] = Object.hasOwn(overrides, dataset) ? overrides[dataset] : count > 0 ? defaultThreshold(sum / count) : 0;
  }
  return thresholds;
}

export function defaultThreshold(meanScore: number): number {
  return roundTo2(DEFAULT_THRESHOLD_FACTOR * meanScore);
}

function roundTo2(value: number): number {
  // The small nudge keeps values like 0.7 × 0.5 = 0.35 from rounding down through float error.
  return Math.round((value + Number.EPSILON * Math.sign(value)) * 100) / 100;
}
