import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../analyze/analysis.js';
import type { Finding } from '../detect/finding.js';
import { ErrormapError } from '../errors.js';
import type { Failure, PopulationStats } from '../prepare/failure.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';
import { RUN_FORMAT_VERSION, type RunRecord } from './run-record.js';
import { DB_FILE, RunStore } from './run-store.js';

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

export const RUN_FILE = 'run.json';
export const TAXONOMY_FILE = 'taxonomy.json';

/** Reads a run directory written by `errormap run`. */
export function loadRunData(dir: string): RunData {
  if (!existsSync(join(dir, DB_FILE)) || !existsSync(join(dir, RUN_FILE)) || !existsSync(join(dir, TAXONOMY_FILE))) {
    throw new ErrormapError(
      'RUN_INVALID',
      `${dir}: not a finished errormap run directory (expected ${DB_FILE}, ${RUN_FILE} and ${TAXONOMY_FILE})`,
    );
  }
  const record = readJson<RunRecord>(join(dir, RUN_FILE));
  // An incomplete run has all its files; what it misses is listed in run.json and unanalysed.csv.
  if (record.status !== 'finished' && record.status !== 'incomplete') {
    const why = record.status === 'failed' && record.error ? ` (${record.error})` : '';
    throw new ErrormapError(
      'RUN_INVALID',
      `${dir}: the run did not finish (status "${record.status}"${why}); run the same command again to complete it`,
    );
  }
  if (record.formatVersion > RUN_FORMAT_VERSION) {
    throw new ErrormapError(
      'RUN_INVALID',
      `${dir}: written by a newer errormap (run format ${record.formatVersion}); upgrade errormap to read it`,
    );
  }
  const taxonomy = readJson<TaxonomyNode>(join(dir, TAXONOMY_FILE));
  const store = RunStore.open(dir, { readonly: true });
  try {
    return readRun(dir, record, taxonomy, store);
  } catch (e) {
    if (ErrormapError.isInstance(e)) throw e;
    throw new ErrormapError('RUN_INVALID', `${join(dir, DB_FILE)}: the run database is damaged or incomplete (${(e as Error).message})`);
  } finally {
    store.close();
  }
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new ErrormapError('RUN_INVALID', `${file}: cannot be read as JSON (${(e as Error).message})`);
  }
}

function readRun(dir: string, record: RunRecord, taxonomy: TaxonomyNode, store: RunStore): RunData {
  const analyses = new Map(store.analyses().map((a) => [a.failureId, a]));
  const errors = new Map(store.analysisFailures().map((f) => [f.failureId, f.reason]));
  const findings = store.findings();
  const paths = new Map(store.assignments().map((a) => [a.failureId, a.path]));
  const failures: FailureView[] = store.failures().map((f) => ({
    ...f,
    analysis: analyses.get(f.id),
    analysisError: errors.get(f.id),
    findings: findings.get(f.id) ?? [],
    path: paths.get(f.id) ?? [],
  }));
  return { dir, record, taxonomy, failures, population: store.population() };
}
