import type { PredictionOutcome } from '../ingest/prediction.js';
import { compareText, rngFor, seededPick } from './seeded-random.js';

/** The failures of one (model, dataset) pair, the unit every sample is drawn from. */
export interface Stratum<P extends PredictionOutcome = PredictionOutcome> {
  model: string;
  dataset: string;
  /** Analysable failures of the stratum. */
  failures: P[];
}

export interface SamplingSettings {
  /** Share of each stratum's failures to sample; every stratum with failures gets at least one. */
  ratio: number;
  seed: number;
  /** Cap on the total sample, shared across strata in proportion to their sizes. */
  maxErrors?: number;
}

/** Puts strata in a fixed order (by model, then dataset), each stratum's failures by example id; sorts in place. */
export function orderStrata<P extends PredictionOutcome>(strata: Stratum<P>[]): Stratum<P>[] {
  strata.sort((a, b) => compareText(a.model, b.model) || compareText(a.dataset, b.dataset));
  for (const s of strata) s.failures.sort((a, b) => compareText(a.exampleId, b.exampleId));
  return strata;
}

/** ceil(ratio × n), clear of float error (0.1 × 30 must give 3, not 4). */
export function stratumSampleSize(ratio: number, failures: number): number {
  // no failures: min(0, …) is 0
  return Math.min(failures, Math.max(1, Math.ceil(ratio * failures - 1e-9)));
}

/**
 * Sizes per stratum after the cap: proportional reduction with largest remainders (ties go to the earlier stratum),
 * so the result is deterministic and sums to exactly maxErrors.
 */
export function capSampleSizes(sizes: readonly number[], maxErrors: number | undefined): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  // Stryker disable next-line EqualityOperator: at total = maxErrors the reduction below returns the sizes unchanged
  if (maxErrors === undefined || total <= maxErrors) return [...sizes];
  const quotas = sizes.map((size) => (size * maxErrors) / total);
  const capped = quotas.map((q) => Math.floor(q));
  let left = maxErrors - capped.reduce((a, b) => a + b, 0);
  // sort is stable: equal remainders keep stratum order, so ties go to the earlier stratum
  const byRemainder = quotas.map((q, i) => ({ i, remainder: q - Math.floor(q) })).sort((a, b) => b.remainder - a.remainder);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    capped[i] += 1;
    left -= 1;
  }
  return capped;
}

/**
 * Samples each stratum with its own generator (seed + stratum key), so adding a model never changes
 * another's sample. Each sample keeps its stratum's order (by example id), so ordering the strata
 * orders every failure: sorting 100,000 failures by their text keys took about half a second.
 */
export function sampleStrata<P extends PredictionOutcome>(strata: readonly Stratum<P>[], settings: SamplingSettings): P[][] {
  const sizes = capSampleSizes(
    strata.map((s) => stratumSampleSize(settings.ratio, s.failures.length)),
    settings.maxErrors,
  );
  return strata.map((s, i) =>
    // A sample of the whole stratum is the stratum: no need to shuffle 25,000 failures to put them back.
    sizes[i] >= s.failures.length
      ? [...s.failures]
      : inOrderOf(s.failures, seededPick(s.failures, sizes[i], rngFor(settings.seed, 'sample', s.model, s.dataset))),
  );
}

/** The picked items in the order they have in `ordered`. */
function inOrderOf<T>(ordered: readonly T[], picked: readonly T[]): T[] {
  const chosen = new Set(picked);
  return ordered.filter((item) => chosen.has(item));
}
