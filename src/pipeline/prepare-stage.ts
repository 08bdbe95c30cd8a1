import type { RunRecord } from '../contracts/run-record.js';
import { InputError } from '../errors.js';
import type { Prediction, PredictionOutcome } from '../ingest/prediction.js';
import { readInputs } from '../ingest/read-inputs.js';
import type { FailureRef, ReferencePool } from '../prepare/failure.js';
import { prepare } from '../prepare/prepare.js';
import { unscoredReasons, unscoredWarning } from '../prepare/unscored.js';
import type { RunSettings } from '../settings/run-settings.js';
import { runDirectoryReason } from '../store/run-dir.js';
import type { SavedFailure } from '../store/run-store.js';
import type { StageContext } from './stage-context.js';

export interface PreparedFailures {
  /** Sampled failures in a fixed order, without their texts (read per example when due). */
  failures: FailureRef[];
  referencePool: ReferencePool;
  /** Per dataset: the score below which a prediction fails. */
  thresholds: Record<string, number>;
  /** For the run record: the counts so far. */
  counts: Pick<RunRecord['counts'], 'predictions' | 'unscored' | 'unscoredReasons' | 'failures' | 'sampled'>;
  /**
   * Settles once every sampled failure is in the run database: the first slice is saved before this
   * stage returns, the rest while the first analyses are under way. Never rejects unawaited.
   */
  failuresSaved: Promise<void>;
}

/**
 * Failures saved per transaction, after the first slice: a slice of 500 takes a few milliseconds, so
 * calls keep going out meanwhile (2,000 held the loop for 20–45 ms before the first call was sent).
 */
const SAVE_SLICE = 500;
/** Failures saved before the first call. */
const FIRST_SLICE = 2_000;

/**
 * What the prepare stage reads: the input files, and the run directory, which is never read as input.
 * `onInput` hears of each file as soon as it is read, so a run that fails later still records its inputs.
 * `onInputRead` is called once the input has been read whole and checked, just before it replaces the
 * previous run's predictions (a bad input leaves the previous run untouched).
 */
export type PrepareInput = RunSettings['input'] & {
  runDir: string;
  onInput?: (file: RunRecord['inputs'][number]) => void;
  onInputRead?: () => void;
};

/**
 * read → prepare. Predictions stream into the run database and only their outcomes (no texts) stay
 * in memory, as do the sampled failures' ids. Detection runs per example as the analyses become due
 * (analysis-plan.ts), so the first judge call waits for no detector.
 */
export async function prepareStage(
  input: PrepareInput,
  settings: Pick<RunSettings, 'sampling' | 'analysis'>,
  { store, progress, warn }: StageContext,
): Promise<PreparedFailures> {
  const { sampling } = settings;
  const ingest = progress.stage('read', 0);
  const outcomes: PredictionOutcome[] = [];
  const inputs: RunRecord['inputs'] = [];
  const read = await store.insertPredictionStream(
    atLeastOnePrediction(
      input.inputs,
      readInputs(input.inputs, {
        format: input.format,
        metric: input.metric,
        filter: input.filter,
        onWarning: warn,
        // The run directory may sit inside an input folder: never read a run's own files as results.
        skip: [input.runDir],
        outputFolderReason: runDirectoryReason,
        onInput: (file) => {
          inputs.push(file);
          input.onInput?.(file);
        },
      }),
    ),
    (p) =>
      outcomes.push({
        dataset: p.dataset,
        exampleId: p.exampleId,
        model: p.model,
        score: p.score,
        analysable: p.analysable,
        // Only an unscored prediction's reason is counted: the others' would only cost memory.
        ...(p.score === undefined ? { unanalysableReason: p.unanalysableReason } : {}),
      }),
    input.onInputRead,
  );
  ingest.done(`${read} predictions from ${inputs.length} input(s)`);

  const prepared = prepare(outcomes, sampling);
  // At 100,000 failures saving them all took most of a second before the first call could go out.
  store.savePreparation(prepared.failures.slice(0, FIRST_SLICE), prepared.population);
  const failuresSaved = saveInSlices(store, prepared.failures, FIRST_SLICE, SAVE_SLICE);
  failuresSaved.catch(() => {});
  // The ids as saved, in the saved order, without reading 100,000 rows back from the database.
  const failures: FailureRef[] = prepared.failures;
  const referencePool = store.referencePool(prepared.thresholds);
  const reasons = unscoredReasons(prepared.unscored);
  const counts = {
    predictions: read,
    unscored: reasons.reduce((n, r) => n + r.predictions, 0),
    unscoredReasons: reasons,
    failures: prepared.population.reduce((n, p) => n + p.failures, 0),
    sampled: failures.length,
  };
  const selected = sampling.models ? new Set(sampling.models) : undefined;
  const ofSelected = prepared.population.filter((p) => !selected || selected.has(p.model)).reduce((n, p) => n + p.failures, 0);
  const failuresText = selected ? `${ofSelected} failures of the selected models (${counts.failures} in all)` : `${ofSelected} failures`;
  progress.info(`${failuresText}; analysing a sample of ${failures.length} (ratio ${sampling.ratio}, seed ${sampling.seed})`);
  const unscoredText = unscoredWarning(reasons);
  if (unscoredText) warn(unscoredText);
  for (const [dataset, threshold] of Object.entries(prepared.thresholds)) {
    const rows = prepared.population.filter((p) => p.dataset === dataset);
    if (rows.every((p) => p.predictions === 0)) {
      warn(`dataset "${dataset}": no prediction has a score, so none can fail or be analysed`);
    } else if (!rows.some((p) => p.failures > 0)) {
      warn(
        `dataset "${dataset}": no prediction scores below its threshold ${threshold}; give --threshold ${dataset}=VALUE if that is wrong`,
      );
    }
  }
  if (prepared.unanalysable.length) {
    warn(
      `${prepared.unanalysable.length} failing predictions cannot be analysed (no generated text or a failed request): counted apart, not sampled`,
    );
  }
  for (const dataset of prepared.unusedThresholds) warn(`--threshold names dataset "${dataset}", which is not in the inputs`);
  for (const e of prepared.emptyStrata)
    warn(
      `--max-errors left ${e.model} on ${e.dataset} without a sampled failure (of ${e.failures}); its share of the sample is 0, so raise --max-errors to see it`,
    );

  return { failures, referencePool, thresholds: prepared.thresholds, counts, failuresSaved };
}

/** Appends the failures after the first slice, one transaction per slice, yielding to the event loop between slices. */
async function saveInSlices(store: StageContext['store'], failures: readonly SavedFailure[], first: number, slice: number): Promise<void> {
  for (let from = first; from < failures.length; from += slice) {
    await new Promise((resolve) => setImmediate(resolve));
    store.appendFailures(failures.slice(from, from + slice), from);
  }
}

/** Fails the read (before the new predictions replace the previous run's) when the inputs hold none. */
async function* atLeastOnePrediction(inputs: string[], source: AsyncIterable<Prediction>): AsyncGenerator<Prediction> {
  let n = 0;
  for await (const p of source) {
    n++;
    yield p;
  }
  if (n === 0) {
    throw new InputError({ file: inputs.join(', '), problem: 'no predictions found (no rows, or no file in a format errormap reads)' });
  }
}
