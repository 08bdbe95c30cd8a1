import { existsSync } from 'node:fs';
import type { Analysis } from '../contracts/analysis.js';
import type { RunRecord } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { Finding } from '../detect/finding.js';
import { ErrormapError } from '../errors.js';
import type { Failure, PopulationStats } from '../prepare/failure.js';
import { RUN_FILES, readFinishedRecord, readRunJson, runFile } from './run-dir.js';
import { RunStore } from './run-store.js';

/** One sampled failure with everything known about it: what charts, reports and the viewer read. */
export interface FailureView extends Failure {
  analysis?: Analysis;
  /** Why the analysis could not be made, when it could not. */
  analysisError?: string;
  findings: Finding[];
  /** Taxonomy node ids from the top-level category down to the leaf; empty when not placed. */
  path: string[];
}

/** A finished run directory, loaded for charts, reports, the viewer and comparisons. */
export interface RunData {
  dir: string;
  record: RunRecord;
  taxonomy: TaxonomyNode;
  failures: FailureView[];
  population: PopulationStats[];
}

/** Reads a run directory written by `errormap run`. */
export function loadRunData(dir: string): RunData {
  const missing = (['database', 'record', 'taxonomy'] as const).filter((role) => !existsSync(runFile(dir, role)));
  if (missing.length > 0) {
    throw new ErrormapError(
      'RUN_INVALID',
      `${dir}: not a finished errormap run directory (expected ${RUN_FILES.database}, ${RUN_FILES.record} and ${RUN_FILES.taxonomy})`,
    );
  }
  const record = readFinishedRecord(dir);
  const taxonomy = readRunJson(dir, 'taxonomy') as TaxonomyNode;
  const store = RunStore.open(dir, { readonly: true });
  try {
    return runDataFromStore(store, record, taxonomy);
  } catch (e) {
    if (ErrormapError.isInstance(e)) throw e;
    throw new ErrormapError(
      'RUN_INVALID',
      `${runFile(dir, 'database')}: the run database is damaged or incomplete (${(e as Error).message})`,
    );
  } finally {
    store.close();
  }
}

/**
 * A run as charts read it, from an open store: the pipeline computes signatures this way before the
 * run is marked finished, without the texts (`texts: false`: inputs, outputs, references and the
 * analyses' criteria), which signatures never read.
 */
export function runDataFromStore(store: RunStore, record: RunRecord, taxonomy: TaxonomyNode, options: { texts?: boolean } = {}): RunData {
  const dir = store.dir;
  const analyses = new Map(store.analyses({ criteria: options.texts !== false }).map((a) => [a.failureId, a]));
  const errors = new Map(store.analysisFailures().map((f) => [f.failureId, f.reason]));
  const findings = store.findings();
  const paths = new Map(store.assignments().map((a) => [a.failureId, a.path]));
  const failures: FailureView[] = store.failures({ texts: options.texts }).map((f) => ({
    ...f,
    analysis: analyses.get(f.id),
    analysisError: errors.get(f.id),
    findings: findings.get(f.id) ?? [],
    path: paths.get(f.id) ?? [],
  }));
  return { dir, record, taxonomy, failures, population: store.population() };
}
