import { createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Analysis, AnalysisFailure } from '../analyze/analysis.js';
import { latestPerFailure } from '../audit/latest-reviews.js';
import type { Review } from '../audit/review.js';
import type { Failure } from '../prepare/failure.js';
import { RUN_FILE, type RunData, TAXONOMY_FILE } from '../store/run-data.js';
import type { RunRecord } from '../store/run-record.js';
import type { Assignment } from '../store/run-store.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';

export const ERRORS_FILE = 'errors.csv';
export const ANALYSES_FILE = 'analyses.jsonl';
export const UNANALYSED_FILE = 'unanalysed.csv';

/** Writes a file atomically (temp + rename), so a kill never leaves half a JSON file. */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeAtomic(join(dir, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export function writeTaxonomyFile(dir: string, root: TaxonomyNode): void {
  writeAtomic(join(dir, TAXONOMY_FILE), `${JSON.stringify(root, null, 2)}\n`);
}

function nodeNames(root: TaxonomyNode): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (n: TaxonomyNode) => {
    names.set(n.id, n.name);
    n.children.forEach(walk);
  };
  walk(root);
  return names;
}

function finished(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
}

async function writeCsv(path: string, header: string[], rows: Iterable<unknown[]>): Promise<void> {
  const out = createWriteStream(`${path}.tmp`);
  const csv = stringify({ header: true, columns: header });
  csv.pipe(out);
  for (const row of rows) {
    if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
  }
  csv.end();
  await finished(out);
  renameSync(`${path}.tmp`, path);
}

export interface RunFilesInput {
  dir: string;
  taxonomy: TaxonomyNode;
  failures: Failure[];
  analyses: Analysis[];
  analysisFailures: AnalysisFailure[];
  assignments: Assignment[];
  /** Human audit reviews: the latest per failure fills errors.csv's human_category and human_verdict. */
  reviews?: readonly Review[];
}

/** errors.csv, analyses.jsonl, unanalysed.csv and taxonomy.json: the run's human-facing outputs. */
export async function writeRunFiles(input: RunFilesInput): Promise<void> {
  const { dir } = input;
  writeTaxonomyFile(dir, input.taxonomy);
  await writeErrorsCsv(input);
  const byId = new Map(input.failures.map((f) => [f.id, f]));
  const lines = input.analyses.map((a) => {
    const f = byId.get(a.failureId);
    return JSON.stringify({
      failure_id: a.failureId,
      dataset: f?.dataset,
      example_id: f?.exampleId,
      model: f?.model,
      judge: a.judge,
      source: a.source,
      analysis: {
        criteria: a.criteria,
        has_error: a.hasError,
        error_title: a.errorTitle,
        error_summary: a.errorSummary,
        detector: a.detector,
      },
    });
  });
  writeAtomic(join(dir, ANALYSES_FILE), lines.length ? `${lines.join('\n')}\n` : '');

  await writeCsv(
    join(dir, UNANALYSED_FILE),
    ['failure_id', 'dataset', 'example_id', 'model', 'reason'],
    input.analysisFailures.map((u) => {
      const f = byId.get(u.failureId);
      return [u.failureId, f?.dataset ?? '', f?.exampleId ?? '', f?.model ?? '', u.reason];
    }),
  );
}

/** errors.csv again after an audit, from the loaded run: the judge's columns unchanged, the human ones filled. */
export function rewriteErrorsCsv(run: RunData, reviews: readonly Review[]): Promise<void> {
  return writeErrorsCsv({
    dir: run.dir,
    taxonomy: run.taxonomy,
    failures: run.failures,
    analyses: run.failures.flatMap((f) => (f.analysis ? [f.analysis] : [])),
    analysisFailures: [],
    assignments: run.failures.filter((f) => f.path.length > 0).map((f) => ({ failureId: f.id, leafId: f.path.at(-1) ?? '', path: f.path })),
    reviews,
  });
}

/** One row per analysed failure: input columns, the judge's analysis and category path, the human review. */
async function writeErrorsCsv(input: RunFilesInput): Promise<void> {
  const names = nodeNames(input.taxonomy);

  const byId = new Map(input.failures.map((f) => [f.id, f]));
  const paths = new Map(input.assignments.map((a) => [a.failureId, a.path]));
  const depth = input.assignments.reduce((d, a) => Math.max(d, a.path.length), 1);
  const metadataColumns = [...new Set(input.failures.flatMap((f) => Object.keys(f.metadata)))].sort();
  const human = latestPerFailure(input.reviews ?? []);

  const header = [
    'failure_id',
    'dataset',
    'example_id',
    'model',
    'input_text',
    'output_text',
    'score',
    'threshold',
    'correct_answer',
    ...metadataColumns,
    'judge',
    'source',
    'has_error',
    'error_title',
    'error_summary',
    ...Array.from({ length: depth }, (_, i) => `category_${i + 1}`),
    'leaf_id',
    'human_category',
    'human_verdict',
  ];
  function* errorRows() {
    for (const a of input.analyses) {
      const f = byId.get(a.failureId);
      if (!f) continue;
      const path = paths.get(a.failureId) ?? [];
      yield [
        f.id,
        f.dataset,
        f.exampleId,
        f.model,
        f.inputText,
        f.outputText,
        f.score,
        f.threshold,
        f.correctAnswer ?? '',
        ...metadataColumns.map((c) => f.metadata[c] ?? ''),
        a.judge,
        a.source,
        a.hasError,
        a.errorTitle,
        a.errorSummary,
        ...Array.from({ length: depth }, (_, i) => (path[i] ? names.get(path[i]) : '') ?? ''),
        path.at(-1) ?? '',
        human
          .get(a.failureId)
          ?.humanPath?.map((id) => names.get(id) ?? id)
          .join(' > ') ?? '',
        human.get(a.failureId)?.verdict ?? '',
      ];
    }
  }
  await writeCsv(join(input.dir, ERRORS_FILE), header, errorRows());
}
