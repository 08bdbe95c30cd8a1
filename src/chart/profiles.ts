import type { FailureView, RunData } from '../store/run-data.js';
import { analysedStrata } from './analysed-strata.js';
import { wilsonInterval } from './proportions.js';
import { categoriesAtDepth, indexTaxonomy } from './taxonomy-index.js';
import { estimateShares, failureRate, placedFailures, samplingWeights } from './weighted-shares.js';

/**
 * Category names that say a failure is not about the skill a benchmark claims to measure: the answer's
 * form, no usable answer, an under-specified task, instructions not followed, noise in the benchmark,
 * failures the judge found no error in (a scoring or reference problem, not a missing skill), and the
 * taxonomy's catch-alls. Matched against every name on a failure's path.
 */
export const DEFAULT_OFF_SKILL_PATTERNS: readonly RegExp[] = [
  /format/i,
  /no usable answer/i,
  /specification/i,
  /instruction[\s-]*following/i,
  /benchmark noise/i,
  /^no error found$/i,
  /^other$/i,
  /hard to analy[sz]e/i,
];

export interface ProfileCategory {
  categoryId: string;
  categoryPath: string[];
  count: number;
  share: number;
  ciLow: number;
  ciHigh: number;
}

/** What one dataset's failures are made of. */
export interface DatasetProfile {
  dataset: string;
  /** Placed failures of the dataset. */
  n: number;
  /**
   * Analysable failures per analysable prediction over the models whose failures were analysed, with its
   * 95% Wilson interval, when known.
   */
  failureRate?: number;
  failureRateLow?: number;
  failureRateHigh?: number;
  /** Failures of those models that could not be analysed (left out of the rate). */
  unanalysable: number;
  /** Largest categories at the profile depth, by weighted share. */
  topCategories: ProfileCategory[];
  /** Share of failures whose path names a category outside the claimed skill. */
  offSkill: { count: number; share: number; ciLow: number; ciHigh: number; categories: string[] };
}

export interface ProfileOptions {
  depth?: number;
  top?: number;
  /** Patterns for "not about the skill" category names; default DEFAULT_OFF_SKILL_PATTERNS. */
  offSkillPatterns?: readonly RegExp[];
  z?: number;
}

/** Benchmark profiles: per dataset, its top categories and the share of failures not about the skill. */
export function computeProfiles(
  run: Pick<RunData, 'taxonomy' | 'failures' | 'population'>,
  options: ProfileOptions = {},
): DatasetProfile[] {
  const depth = options.depth ?? 1;
  const top = options.top ?? 5;
  const patterns = options.offSkillPatterns ?? DEFAULT_OFF_SKILL_PATTERNS;
  const index = indexTaxonomy(run.taxonomy);
  const placed = placedFailures(run.failures);
  const weights = samplingWeights(placed, run.population);
  const { analysed } = analysedStrata(run.population, placed);
  const categories = categoriesAtDepth(index, depth);
  const offSkillName = (id: string) => {
    const name = index.byId.get(id)?.node.name ?? '';
    return patterns.some((p) => p.test(name)) ? name : undefined;
  };
  const datasets = [...new Set(placed.map((f) => f.dataset))].sort();
  return datasets.map((dataset) => {
    const failures = placed.filter((f) => f.dataset === dataset);
    const topCategories = estimateShares(failures, weights, categories, depth, options.z)
      .filter((e) => e.count > 0)
      .sort((a, b) => b.share - a.share || b.count - a.count)
      .slice(0, top)
      .map((e) => ({
        categoryId: e.categoryId,
        categoryPath: index.byId.get(e.categoryId)?.namePath ?? [e.categoryId],
        count: e.count,
        share: e.share,
        ciLow: e.ciLow,
        ciHigh: e.ciHigh,
      }));
    const matched = new Set<string>();
    // Relabel each failure's path as on/off the skill and reuse the weighted share estimate.
    const relabelled: FailureView[] = failures.map((f) => {
      const names = f.path.map(offSkillName).filter((n): n is string => n !== undefined);
      for (const n of names) matched.add(n);
      return { ...f, path: [names.length > 0 ? 'off' : 'on'] };
    });
    const [off] = estimateShares(relabelled, weights, ['off'], 1, options.z);
    const rate = failureRate(analysed.filter((p) => p.dataset === dataset));
    const rateCi = rate ? wilsonInterval(rate.failures, rate.predictions, options.z) : undefined;
    return {
      dataset,
      n: failures.length,
      failureRate: rate?.rate,
      failureRateLow: rateCi?.low,
      failureRateHigh: rateCi?.high,
      unanalysable: rate?.unanalysable ?? 0,
      topCategories,
      offSkill: { count: off.count, share: off.share, ciLow: off.ciLow, ciHigh: off.ciHigh, categories: [...matched].sort() },
    };
  });
}
