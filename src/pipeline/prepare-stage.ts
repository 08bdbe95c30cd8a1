import type { Finding } from '../detect/finding.js';
import { detectFailure } from '../detect/run-detectors.js';
import { InputError } from '../errors.js';
import type { PredictionOutcome } from '../ingest/prediction.js';
import { readInputs } from '../ingest/read-inputs.js';
import type { Failure, ReferencePool } from '../prepare/failure.js';
import { prepare } from '../prepare/prepare.js';
import { isReference } from '../prepare/reference-pool.js';
import type { RunRecord } from '../store/run-record.js';
import type { RunStore } from '../store/run-store.js';
import type { ProgressReporter } from './progress.js';
import type { RunSettings } from './run-settings.js';

export interface PreparedFailures {
  /** Sampled failures with their texts, in a fixed order. */
  failures: Failure[];
  findings: Map<string, Finding[]>;
  referencePool: ReferencePool;
}

/**
 * read → prepare → detect. Predictions stream into the run database and only their outcomes (no
 * texts) stay in memory; the sampled failures come back from the database with their texts.
 * Fills the record's inputs and counts.
 */
export async function readPrepareDetect(
  settings: RunSettings,
  store: RunStore,
  record: RunRecord,
  progress: ProgressReporter,
): Promise<PreparedFailures> {
  // Predictions stream into the run database; only their outcomes (no texts) stay in memory.
  const ingest = progress.stage('read', 0);
  const outcomes: PredictionOutcome[] = [];
  const read = await store.insertPredictionStream(
    readInputs(settings.inputs, {
      format: settings.format,
      metric: settings.metric,
      filter: settings.filter,
      onWarning: (message) => progress.warn(message),
      // The run directory may sit inside an input folder: never read a run's own files as results.
      skip: [settings.out],
      onInput: (input) => record.inputs.push(input),
    }),
    (p) => outcomes.push({ dataset: p.dataset, exampleId: p.exampleId, model: p.model, score: p.score, analysable: p.analysable }),
  );
  ingest.done(`${read} predictions from ${record.inputs.length} input(s)`);
  if (read === 0)
    throw new InputError({
      file: settings.inputs.join(', '),
      problem: 'no predictions found (no rows, or no file in a format errormap reads)',
    });

  const prepared = prepare(outcomes, {
    thresholds: settings.thresholds,
    ratio: settings.ratio,
    seed: settings.seed,
    maxErrors: settings.maxErrors,
    models: settings.models,
  });
  store.savePreparation(prepared.failures, prepared.population);
  const failures = store.failures();
  const referencePool = store.referencePool(prepared.thresholds);
  record.counts.predictions = read;
  record.counts.failures = prepared.population.reduce((n, p) => n + p.failures, 0);
  record.counts.sampled = failures.length;
  const selected = settings.models ? new Set(settings.models) : undefined;
  const ofSelected = prepared.population.filter((p) => !selected || selected.has(p.model)).reduce((n, p) => n + p.failures, 0);
  const failuresText = selected
    ? `${ofSelected} failures of the selected models (${record.counts.failures} in all)`
    : `${ofSelected} failures`;
  progress.info(`${failuresText}; analysing a sample of ${failures.length} (ratio ${settings.ratio}, seed ${settings.seed})`);
  for (const [dataset, threshold] of Object.entries(prepared.thresholds)) {
    if (!prepared.population.some((p) => p.dataset === dataset && p.failures > 0)) {
      progress.warn(
        `dataset "${dataset}": no prediction scores below its threshold ${threshold}; give --threshold ${dataset}=VALUE if that is wrong`,
      );
    }
  }
  if (prepared.unanalysable.length)
    progress.warn(`${prepared.unanalysable.length} failing predictions have no text to analyse and are skipped`);
  for (const dataset of prepared.unusedThresholds) progress.warn(`--threshold names dataset "${dataset}", which is not in the inputs`);
  for (const e of prepared.emptyStrata)
    progress.warn(
      `--max-errors left ${e.model} on ${e.dataset} without a sampled failure (of ${e.failures}); its share of the sample is 0, so raise --max-errors to see it`,
    );

  const detecting = progress.stage('detect', failures.length);
  const findings = new Map<string, Finding[]>();
  for (const failure of failures) {
    const sameExample = referencePool.allFor(failure.dataset, failure.exampleId);
    const references = sameExample.filter((p) => p.model !== failure.model && isReference(p, prepared.thresholds));
    findings.set(failure.id, detectFailure({ failure, references, sameExample, answerFormat: settings.answerFormats[failure.dataset] }));
    detecting.tick();
  }
  store.replaceFindings(findings);
  detecting.done();
  return { failures, findings, referencePool };
}
