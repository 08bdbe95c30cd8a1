import { ConfigError } from '../errors.js';
import { isScored, type PredictionOutcome } from '../ingest/prediction.js';
import type { PopulationStats } from './failure.js';
import { failureId } from './failure-id.js';
import { orderStrata, type Stratum, sampleStrata } from './sampling.js';
import { compareText } from './seeded-random.js';
import { resolveThresholds } from './thresholds.js';
import { countUnscored, type UnscoredCount } from './unscored.js';

export interface PrepareSettings {
  /** Share of each (model, dataset) stratum's failures to sample. Default 0.1. */
  ratio: number;
  /** Seed of every random choice in this stage. Default 42. */
  seed: number;
  /** Cap on the total number of sampled failures. */
  maxErrors?: number;
  /** Only these models' failures are sampled; correct outputs of every model stay references. */
  models?: string[];
  /** Explicit per-dataset thresholds (from --threshold and the config file). */
  thresholds?: Record<string, number>;
}

export const DEFAULT_PREPARE_SETTINGS: PrepareSettings = { ratio: 0.1, seed: 42 };

/** A sampled failure: the prediction (or its outcome) with its score, its stable id and its dataset's threshold. */
export type Sampled<P extends PredictionOutcome> = P & { score: number; id: string; threshold: number };

export interface PreparedRun<P extends PredictionOutcome> {
  thresholds: Record<string, number>;
  /** Sampled failures, sorted by dataset, model, example id. */
  failures: Sampled<P>[];
  /**
   * Per (dataset, model), every model present; failures include unanalysable ones (counted apart as well);
   * unscored predictions are in neither predictions nor failures.
   */
  population: PopulationStats[];
  /** Failures (of the selected models) that have no text to judge; counted, never sampled. */
  unanalysable: P[];
  /** Predictions (of every model) with no usable score, per (dataset, model, reason): in no threshold, failure or rate. */
  unscored: UnscoredCount[];
  /** Threshold overrides naming a dataset that is not in the inputs (worth a warning: often a typo). */
  unusedThresholds: string[];
  /** (model, dataset) pairs with analysable failures of which the --max-errors cap left none in the sample. */
  emptyStrata: { model: string; dataset: string; failures: number }[];
}

/**
 * Thresholds → failures → seeded per-(model, dataset) sample, plus population counts. Works on full
 * predictions or on their outcomes alone (the pipeline keeps texts in the run database); the
 * reference pool is built apart (buildReferencePool, or the store's).
 */
export function prepare<P extends PredictionOutcome>(predictions: readonly P[], settings: Partial<PrepareSettings> = {}): PreparedRun<P> {
  const s: PrepareSettings = { ...DEFAULT_PREPARE_SETTINGS, ...withoutUndefined(settings) };
  checkSettings(s, predictions);
  const overrides = s.thresholds ?? {};
  const thresholds = resolveThresholds(predictions, overrides);
  const selected = s.models ? new Set(s.models) : undefined;

  const { population, strata, unanalysable } = countAndGroup(predictions, thresholds, selected);
  const samples = sampleStrata(strata, { ratio: s.ratio, seed: s.seed, maxErrors: s.maxErrors });

  // Each sample is in example-id order already: ordering the strata orders the failures.
  const failures: Sampled<P>[] = strata
    .map((stratum, i) => ({ stratum, sample: samples[i] }))
    .sort((a, b) => compareText(a.stratum.dataset, b.stratum.dataset) || compareText(a.stratum.model, b.stratum.model))
    // Object.assign, not a spread: V8 copies 100,000 of these about six times faster.
    .flatMap(({ sample }) => sample.map((p) => Object.assign({}, p, { id: failureId(p), threshold: thresholds[p.dataset] })));
  strata.forEach((stratum, i) => {
    population.get(stratum.dataset, stratum.model).sampled = samples[i].length;
  });

  return {
    thresholds,
    failures,
    population: population.rows().sort((a, b) => compareText(a.dataset, b.dataset) || compareText(a.model, b.model)),
    unanalysable: unanalysable.sort(byDatasetModelExample),
    unscored: countUnscored(predictions),
    unusedThresholds: Object.keys(overrides)
      .filter((d) => !(d in thresholds))
      .sort(compareText),
    // every stratum holds at least one failure (it is made from failures)
    emptyStrata: strata
      .filter((_, i) => samples[i].length === 0)
      .map((stratum) => ({ model: stratum.model, dataset: stratum.dataset, failures: stratum.failures.length })),
  };
}

/**
 * One pass over every prediction (100,000s of them): population counts per (dataset, model), every
 * model present; the selected models' analysable failures grouped into strata; their unanalysable
 * failures apart. An unscored prediction neither fails nor succeeds: it is in no failure or sample.
 */
function countAndGroup<P extends PredictionOutcome>(
  predictions: readonly P[],
  thresholds: Readonly<Record<string, number>>,
  selected: ReadonlySet<string> | undefined,
) {
  type Cell = { row: PopulationStats; stratum: Stratum<P & { score: number }> };
  // By dataset, then model: a key string built per prediction cost several times more at 100,000.
  const cells = new Map<string, Map<string, Cell>>();
  const all: Cell[] = [];
  const cell = (dataset: string, model: string): Cell => {
    let models = cells.get(dataset);
    if (!models) {
      models = new Map();
      cells.set(dataset, models);
    }
    let found = models.get(model);
    if (!found) {
      found = {
        row: { dataset, model, predictions: 0, failures: 0, sampled: 0, threshold: thresholds[dataset], unanalysable: 0, unscored: 0 },
        stratum: { dataset, model, failures: [] },
      };
      models.set(model, found);
      all.push(found);
    }
    return found;
  };
  const unanalysable: P[] = [];
  for (const p of predictions) {
    const { row, stratum } = cell(p.dataset, p.model);
    if (!isScored(p)) {
      row.unscored += 1;
      continue;
    }
    row.predictions += 1;
    if (!(p.score < thresholds[p.dataset])) continue;
    row.failures += 1;
    if (p.analysable === false) row.unanalysable += 1;
    if (selected && !selected.has(p.model)) continue;
    if (p.analysable === false) unanalysable.push(p);
    else stratum.failures.push(p);
  }
  return {
    population: { get: (dataset: string, model: string) => cell(dataset, model).row, rows: () => all.map((c) => c.row) },
    strata: orderStrata(all.map((c) => c.stratum).filter((s) => s.failures.length > 0)),
    unanalysable,
  };
}

function checkSettings(s: PrepareSettings, predictions: readonly PredictionOutcome[]): void {
  if (!(s.ratio > 0 && s.ratio <= 1)) throw new ConfigError(`sample ratio must be in (0, 1], got ${s.ratio}`);
  if (!Number.isInteger(s.seed)) throw new ConfigError(`seed must be an integer, got ${s.seed}`);
  if (s.maxErrors !== undefined && !(Number.isInteger(s.maxErrors) && s.maxErrors >= 0)) {
    throw new ConfigError(`max errors must be a whole number ≥ 0, got ${s.maxErrors}`);
  }
  if (s.models) {
    const known = new Set(predictions.map((p) => p.model));
    const unknown = s.models.filter((m) => !known.has(m));
    if (unknown.length > 0) {
      throw new ConfigError(
        `unknown model(s) ${unknown.map((m) => `"${m}"`).join(', ')}; models in the inputs: ${[...known].sort(compareText).join(', ')}`,
      );
    }
  }
}

function byDatasetModelExample(a: PredictionOutcome, b: PredictionOutcome): number {
  return compareText(a.dataset, b.dataset) || compareText(a.model, b.model) || compareText(a.exampleId, b.exampleId);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
