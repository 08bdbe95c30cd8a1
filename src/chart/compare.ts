import { ConfigError } from '../errors.js';
import type { ExampleOutcome } from '../store/example-outcomes.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { analysedStrata, samplingFractionWarnings, unanalysableWarnings } from './analysed-strata.js';
import { exactMcNemar, fisherExactTwoSided } from './exact-tests.js';
import { type AdjustedP, effectivePredictions, incidenceDifference, type ModelSide, modelSide, withAdjustedP } from './model-side.js';
import { chartRun, isNoError, noErrorLines } from './no-error.js';
import { type Rate, rateOf } from './rate.js';
import { categoriesAtDepth, categoryAtDepth, indexTaxonomy, type TaxonomyIndex } from './taxonomy-index.js';
import { placedFailures, samplingWeights, stratumKey } from './weighted-shares.js';

export type { ModelSide } from './model-side.js';

export interface CompareOptions {
  modelA: string;
  modelB: string;
  depth?: number;
  alpha?: number;
  /** auto (default): paired when every shared example's outcome is known for both models, else unpaired. */
  test?: 'auto' | 'paired' | 'unpaired';
  z?: number;
  /** Keep analyses that found no error as a category (default: left out, see withoutNoError). */
  includeNoError?: boolean;
}

export interface CategoryComparison {
  categoryId: string;
  categoryPath: string[];
  a: ModelSide;
  b: ModelSide;
  /** Incidence of A minus incidence of B, per 100 predictions, with Newcombe's 95% interval. */
  difference?: number;
  differenceLow?: number;
  differenceHigh?: number;
  /** Paired: examples where only A / only B failed in this category. */
  onlyA?: number;
  onlyB?: number;
  p: number;
  pHolm: number;
  pBH: number;
  /** Holm-adjusted p below alpha. */
  significant: boolean;
}

export interface ExampleRef {
  dataset: string;
  exampleId: string;
  failureId: string;
  errorTitle: string;
}

export interface ExamplesByCategory {
  categoryId: string;
  categoryPath: string[];
  examples: ExampleRef[];
}

export interface ModelComparison {
  modelA: string;
  modelB: string;
  depth: number;
  alpha: number;
  /** Datasets both models were evaluated on; everything is computed over these only. */
  datasets: string[];
  test: 'paired (exact McNemar)' | 'unpaired (Fisher exact)';
  /** Shared examples used by the paired test. */
  pairs: number;
  warnings: string[];
  categories: CategoryComparison[];
  /** Each model's analysed failures where the judge found no error (benchmark-noise candidates), on the compared datasets. */
  noError: { a: Rate; b: Rate };
  /** Examples A fails and B gets right, by A's category (and the reverse, by B's). */
  aFailsBSucceeds: ExamplesByCategory[];
  bFailsASucceeds: ExamplesByCategory[];
}

type Known = string | null | undefined; // category id | succeeded | unknown

/** A failure whose analysis found no error, left out of the categories: known to be in none of them. */
const IN_NO_CATEGORY = '\u0000no error';

function outcomeCategories(
  outcomes: readonly ExampleOutcome[],
  failures: readonly FailureView[],
  model: string,
  datasets: ReadonlySet<string>,
  depth: number,
): Map<string, Known> {
  const failureBy = new Map(failures.filter((f) => f.model === model).map((f) => [stratumKey(f.dataset, f.exampleId), f]));
  const out = new Map<string, Known>();
  for (const o of outcomes) {
    if (o.model !== model || !datasets.has(o.dataset)) continue;
    const key = stratumKey(o.dataset, o.exampleId);
    const f = failureBy.get(key);
    const known = f && isNoError(f) && f.path.length === 0 ? IN_NO_CATEGORY : categoryAtDepth(f?.path ?? [], depth);
    out.set(key, o.failed ? known : null);
  }
  return out;
}

function noErrorOf(failures: readonly FailureView[], datasets: ReadonlySet<string>, modelA: string, modelB: string): { a: Rate; b: Rate } {
  const lines = noErrorLines(
    failures.filter((f) => datasets.has(f.dataset)),
    (f) => f.model,
  );
  const of = (m: string) => lines.find((l) => l.group === m) ?? rateOf(0, 0);
  return { a: of(modelA), b: of(modelB) };
}

function examplesWhereOtherSucceeds(
  failures: readonly FailureView[],
  other: ReadonlyMap<string, Known>,
  index: TaxonomyIndex,
  depth: number,
): ExamplesByCategory[] {
  const groups = new Map<string, ExampleRef[]>();
  for (const f of failures) {
    if (other.get(stratumKey(f.dataset, f.exampleId)) !== null) continue;
    const c = categoryAtDepth(f.path, depth);
    if (c === undefined) continue;
    groups.set(c, [
      ...(groups.get(c) ?? []),
      { dataset: f.dataset, exampleId: f.exampleId, failureId: f.id, errorTitle: f.analysis?.errorTitle ?? '' },
    ]);
  }
  return [...groups.entries()]
    .map(([categoryId, examples]) => ({ categoryId, categoryPath: index.byId.get(categoryId)?.namePath ?? [categoryId], examples }))
    .sort((x, y) => y.examples.length - x.examples.length);
}

/**
 * Datasets on which a model's failures were analysed (or on which it had none): the analysed strata of
 * analysedStrata, plus datasets of placed failures the population does not list.
 */
function analysedDatasets(run: Pick<RunData, 'failures' | 'population'>, model: string): Set<string> {
  const placed = placedFailures(run.failures).filter((f) => f.model === model);
  return new Set([
    ...analysedStrata(
      run.population.filter((p) => p.model === model),
      placed,
    ).analysed.map((p) => p.dataset),
    ...placed.map((f) => f.dataset),
  ]);
}

function notComparable(run: Pick<RunData, 'failures' | 'population'>, model: string): string {
  const all = [...new Set(run.population.map((p) => p.model))].sort();
  const analysed = all.filter((m) => analysedDatasets(run, m).size > 0);
  const which =
    analysed.length === 1
      ? `this run analysed one model only (${analysed[0]}); compare needs a run that analysed both`
      : `models analysed in this run: ${analysed.join(', ')}`;
  return all.includes(model)
    ? `model ${model}'s failures were not analysed in this run (left out by run --models); ${which}`
    : `model ${model} is not in this run; ${which}`;
}

/**
 * Compares two models category by category over the datasets both were run on: counts, shares and
 * incidence per 100 predictions, the incidence difference with Newcombe's interval, an exact test per
 * category, and Holm and Benjamini–Hochberg adjusted p-values across categories. Categories empty for both
 * models are left out (they carry no evidence and would only dilute the corrections).
 *
 * The test is paired (exact McNemar on examples where exactly one model failed in the category) when
 * `outcomes` give both models' result on every shared example and every failure there was placed — that
 * is, no sampling. Otherwise it is Fisher's exact test of category counts against predictions; under
 * sampling the predictions are scaled by the share of failures placed (see effectivePredictions).
 */
export function compareModels(
  given: Pick<RunData, 'taxonomy' | 'failures' | 'population'>,
  outcomes: readonly ExampleOutcome[] | undefined,
  options: CompareOptions,
): ModelComparison {
  const run = chartRun(given, options.includeNoError);
  const { modelA, modelB } = options;
  const depth = options.depth ?? 1;
  const alpha = options.alpha ?? 0.05;
  const warnings: string[] = [];
  const index = indexTaxonomy(run.taxonomy);
  const allPlaced = placedFailures(run.failures);
  const weights = samplingWeights(allPlaced, run.population);
  if (modelA === modelB) throw new ConfigError(`--models: give two different models, not ${modelA} twice`);
  const [dsA, dsB] = [analysedDatasets(run, modelA), analysedDatasets(run, modelB)];
  for (const [m, ds] of [
    [modelA, dsA],
    [modelB, dsB],
  ] as const)
    if (ds.size === 0) throw new ConfigError(notComparable(run, m));
  const datasets = new Set([...dsA].filter((d) => dsB.has(d)));
  if (datasets.size === 0) throw new ConfigError(`models ${modelA} and ${modelB} share no dataset`);
  if (datasets.size < Math.max(dsA.size, dsB.size)) warnings.push(`compared on shared datasets only: ${[...datasets].sort().join(', ')}`);

  const placed = allPlaced.filter((f) => datasets.has(f.dataset));
  const failuresA = placed.filter((f) => f.model === modelA);
  const failuresB = placed.filter((f) => f.model === modelB);
  const popA = run.population.filter((p) => p.model === modelA && datasets.has(p.dataset));
  const popB = run.population.filter((p) => p.model === modelB && datasets.has(p.dataset));

  const analysed = run.failures.filter((f) => f.analysis !== undefined && datasets.has(f.dataset));
  const knownA = outcomes ? outcomeCategories(outcomes, analysed, modelA, datasets, depth) : new Map<string, Known>();
  const knownB = outcomes ? outcomeCategories(outcomes, analysed, modelB, datasets, depth) : new Map<string, Known>();
  const shared = [...knownA.keys()].filter((k) => knownB.has(k));
  const pairs = shared.filter((k) => knownA.get(k) !== undefined && knownB.get(k) !== undefined);
  const complete = shared.length > 0 && pairs.length === shared.length;
  const mode = options.test ?? 'auto';
  if (mode === 'paired' && !outcomes) throw new ConfigError('a paired comparison needs the per-example outcomes of the run');
  const paired = mode === 'paired' ? pairs.length > 0 : mode === 'auto' && complete;
  if (mode === 'paired' && !complete)
    warnings.push(
      `paired test on ${pairs.length} of ${shared.length} shared examples whose outcomes are known for both models (the rest were not sampled or not analysed)`,
    );
  if (!outcomes) warnings.push('per-example outcomes not given: the lists of examples one model fails and the other gets right are empty');

  const categories = categoriesAtDepth(index, depth);
  const sidesA = modelSide(failuresA, weights, popA, categories, depth, options.z);
  const sidesB = modelSide(failuresB, weights, popB, categories, depth, options.z);
  const rows = categories.map((categoryId, i) => ({ categoryId, a: sidesA[i], b: sidesB[i] })).filter((r) => r.a.count + r.b.count > 0);

  warnings.push(
    ...unanalysableWarnings([...popA, ...popB]),
    ...samplingFractionWarnings(modelA, popA, failuresA),
    ...samplingFractionWarnings(modelB, popB, failuresB),
  );
  const nA = effectivePredictions(failuresA.length, popA);
  const nB = effectivePredictions(failuresB.length, popB);
  const tested = rows.map((r) => {
    const row: Omit<CategoryComparison, keyof AdjustedP> = {
      categoryId: r.categoryId,
      categoryPath: index.byId.get(r.categoryId)?.namePath ?? [r.categoryId],
      a: r.a,
      b: r.b,
      p: 1,
      ...incidenceDifference(r.a, r.b),
    };
    if (paired) {
      let onlyA = 0;
      let onlyB = 0;
      for (const k of pairs) {
        const inA = knownA.get(k) === r.categoryId;
        const inB = knownB.get(k) === r.categoryId;
        if (inA && !inB) onlyA++;
        if (inB && !inA) onlyB++;
      }
      row.onlyA = onlyA;
      row.onlyB = onlyB;
      row.p = exactMcNemar(onlyA, onlyB);
    } else {
      row.p = fisherExactTwoSided(r.a.count, Math.max(0, nA - r.a.count), r.b.count, Math.max(0, nB - r.b.count));
    }
    return row;
  });
  return {
    modelA,
    modelB,
    depth,
    alpha,
    datasets: [...datasets].sort(),
    test: paired ? 'paired (exact McNemar)' : 'unpaired (Fisher exact)',
    pairs: paired ? pairs.length : 0,
    warnings,
    categories: withAdjustedP(tested, alpha),
    noError: noErrorOf(given.failures, datasets, modelA, modelB),
    aFailsBSucceeds: outcomes ? examplesWhereOtherSucceeds(failuresA, knownB, index, depth) : [],
    bFailsASucceeds: outcomes ? examplesWhereOtherSucceeds(failuresB, knownA, index, depth) : [],
  };
}
