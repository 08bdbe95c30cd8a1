import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { analysedStrata, leftOutWarnings, samplingFractionWarnings, unanalysableWarnings } from './analysed-strata.js';
import { fisherExactTwoSided } from './exact-tests.js';
import { type AdjustedP, effectivePredictions, incidenceDifference, type ModelSide, modelSide, withAdjustedP } from './model-side.js';
import { chartRun, noErrorLines } from './no-error.js';
import { type Rate, rateOf } from './rate.js';
import { categoriesAtDepth, categoryAtDepth, indexTaxonomy } from './taxonomy-index.js';
import { matchTaxonomies } from './taxonomy-match.js';
import { placedFailures, samplingWeights, stratumKey } from './weighted-shares.js';

type RunInput = Pick<RunData, 'taxonomy' | 'failures' | 'population'>;

export interface DiffOptions {
  depth?: number;
  alpha?: number;
  z?: number;
  /** Keep analyses that found no error as a category (default: left out, see withoutNoError). */
  includeNoError?: boolean;
}

/** Which way a category's incidence moved, significant or not. */
export type DiffDirection = 'grew' | 'shrank' | 'appeared' | 'vanished' | 'unchanged';

/** The direction of a change the Holm-corrected test finds; every other row is "no significant change". */
export type DiffStatus = Exclude<DiffDirection, 'unchanged'> | 'no significant change';

export interface CategoryDiff {
  /** The first run's category id, or `second:<id>` for a category only the second run has. */
  key: string;
  categoryPath: string[];
  direction: DiffDirection;
  status: DiffStatus;
  first: ModelSide;
  second: ModelSide;
  /** Incidence of the second run minus the first, per 100 predictions, with Newcombe's 95% interval. */
  difference?: number;
  differenceLow?: number;
  differenceHigh?: number;
  /** Fisher's exact test of category counts against (sampling-scaled) predictions. */
  p: number;
  pHolm: number;
  pBH: number;
  significant: boolean;
}

export interface RunDiff {
  depth: number;
  alpha: number;
  warnings: string[];
  matching: { byId: number; byName: number; onlyFirst: number; onlySecond: number };
  categories: CategoryDiff[];
  /** Each run's analysed failures where the judge found no error (benchmark-noise candidates). */
  noError: { first: Rate; second: Rate };
}

const SECOND_ONLY = 'second:';

function relabel(failures: readonly FailureView[], label: (f: FailureView) => string | undefined): FailureView[] {
  return failures.flatMap((f) => {
    const l = label(f);
    return l === undefined ? [] : [{ ...f, path: [l] }];
  });
}

/**
 * Strata both runs analysed (see analysedStrata), or undefined when either run has no population. A
 * stratum analysed in one run only would compare "not looked at" with real counts.
 */
function sharedStrata(
  a: readonly PopulationStats[],
  placedA: readonly FailureView[],
  b: readonly PopulationStats[],
  placedB: readonly FailureView[],
): Set<string> | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const inB = new Set(analysedStrata(b, placedB).analysed.map((p) => stratumKey(p.dataset, p.model)));
  return new Set(
    analysedStrata(a, placedA)
      .analysed.map((p) => stratumKey(p.dataset, p.model))
      .filter((k) => inB.has(k)),
  );
}

/**
 * What changed between two runs under one taxonomy: categories joined on id, then on normalised name
 * (with a warning), compared on the (dataset, model) strata both runs hold and analysed. Each category gets both runs'
 * incidence per 100 predictions, the difference with Newcombe's interval, a two-sided Fisher exact p and
 * Holm and Benjamini–Hochberg adjusted p (significance by Holm).
 */
export function diffRuns(givenFirst: RunInput, givenSecond: RunInput, options: DiffOptions = {}): RunDiff {
  const first = chartRun(givenFirst, options.includeNoError);
  const second = chartRun(givenSecond, options.includeNoError);
  const depth = options.depth ?? 1;
  const alpha = options.alpha ?? 0.05;
  const warnings: string[] = [];
  const indexA = indexTaxonomy(first.taxonomy);
  const indexB = indexTaxonomy(second.taxonomy);
  const matching = matchTaxonomies(indexA, indexB);
  if (matching.matchedByName > 0 || matching.onlyFirst.length > 0 || matching.onlySecond.length > 0) {
    warnings.push(
      `the runs' taxonomies differ: ${matching.matchedById} categories matched by id, ${matching.matchedByName} by name, ` +
        `${matching.onlyFirst.length} only in the first run, ${matching.onlySecond.length} only in the second`,
    );
  }

  const placedA = placedFailures(first.failures);
  const placedB = placedFailures(second.failures);
  const strata = sharedStrata(first.population, placedA, second.population, placedB);
  const inStrata = (f: FailureView) => strata === undefined || strata.has(stratumKey(f.dataset, f.model));
  const kept = (p: PopulationStats) => strata === undefined || strata.has(stratumKey(p.dataset, p.model));
  if (strata) {
    const dropped = [...first.population, ...second.population].filter((p) => !kept(p));
    if (dropped.length > 0)
      warnings.push(
        `compared on the ${strata.size} (dataset, model) pairs both runs hold and analysed; left out: ${[...new Set(dropped.map((p) => `${p.model} on ${p.dataset}`))].join(', ')}`,
      );
  }
  const popA = first.population.filter(kept);
  const popB = second.population.filter(kept);
  warnings.push(
    ...unanalysableWarnings(popA).map((w) => `first run: ${w}`),
    ...unanalysableWarnings(popB).map((w) => `second run: ${w}`),
    ...samplingFractionWarnings('first run', popA, placedA.filter(inStrata)),
    ...samplingFractionWarnings('second run', popB, placedB.filter(inStrata)),
  );
  if (!strata)
    warnings.push(
      ...leftOutWarnings(analysedStrata(first.population, placedA).leftOut).map((w) => `first run: ${w}`),
      ...leftOutWarnings(analysedStrata(second.population, placedB).leftOut).map((w) => `second run: ${w}`),
    );

  const weightsA = samplingWeights(placedA, first.population);
  const weightsB = samplingWeights(placedB, second.population);
  const failuresA = relabel(placedA.filter(inStrata), (f) => categoryAtDepth(f.path, depth));
  const failuresB = relabel(placedB.filter(inStrata), (f) => {
    const c = categoryAtDepth(f.path, depth);
    return c === undefined ? undefined : (matching.secondToFirst.get(c) ?? `${SECOND_ONLY}${c}`);
  });

  const keys = [
    ...categoriesAtDepth(indexA, depth),
    ...categoriesAtDepth(indexB, depth)
      .filter((id) => !matching.secondToFirst.has(id))
      .map((id) => `${SECOND_ONLY}${id}`),
  ];
  const sidesA = modelSide(failuresA, weightsA, popA, keys, 1, options.z);
  const sidesB = modelSide(failuresB, weightsB, popB, keys, 1, options.z);
  const nA = effectivePredictions(failuresA.length, popA);
  const nB = effectivePredictions(failuresB.length, popB);

  const rows = keys
    .map((key, i) => ({ key, a: sidesA[i], b: sidesB[i] }))
    .filter((r) => r.a.count + r.b.count > 0)
    .map((r) => {
      const onlySecond = r.key.startsWith(SECOND_ONLY);
      const categoryPath = onlySecond
        ? (indexB.byId.get(r.key.slice(SECOND_ONLY.length))?.namePath ?? [r.key])
        : (indexA.byId.get(r.key)?.namePath ?? [r.key]);
      const change = (r.b.incidence ?? r.b.share * 100) - (r.a.incidence ?? r.a.share * 100);
      const direction: DiffDirection =
        r.a.count === 0
          ? 'appeared'
          : r.b.count === 0
            ? 'vanished'
            : Math.abs(change) < 1e-9
              ? 'unchanged'
              : change > 0
                ? 'grew'
                : 'shrank';
      const row: Omit<CategoryDiff, keyof AdjustedP | 'status'> = {
        key: r.key,
        categoryPath,
        direction,
        first: r.a,
        second: r.b,
        p: fisherExactTwoSided(r.b.count, Math.max(0, nB - r.b.count), r.a.count, Math.max(0, nA - r.a.count)),
        ...incidenceDifference(r.b, r.a),
      };
      return row;
    });
  return {
    depth,
    alpha,
    warnings,
    matching: {
      byId: matching.matchedById,
      byName: matching.matchedByName,
      onlyFirst: matching.onlyFirst.length,
      onlySecond: matching.onlySecond.length,
    },
    categories: withAdjustedP(rows, alpha).map((c) => ({ ...c, status: statusOf(c.direction, c.significant) })),
    noError: { first: noErrorOf(givenFirst.failures), second: noErrorOf(givenSecond.failures) },
  };
}

function statusOf(direction: DiffDirection, significant: boolean): DiffStatus {
  return significant && direction !== 'unchanged' ? direction : 'no significant change';
}

function noErrorOf(failures: readonly FailureView[]): Rate {
  return noErrorLines(failures, () => 'run')[0] ?? rateOf(0, 0);
}
