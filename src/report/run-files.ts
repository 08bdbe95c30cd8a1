import { stringify } from 'csv-stringify';
import { latestPerFailure } from '../audit/latest-reviews.js';
import type { AnalysisFailure, AnalysisOutcome, Criterion } from '../contracts/analysis.js';
import type { Review } from '../contracts/review.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { Failure } from '../prepare/failure.js';
import type { RunData } from '../store/run-data.js';
import { runFile, writeRunJson, writeStreamAtomic } from '../store/run-dir.js';
import type { Assignment } from '../store/run-store.js';

function nodeNames(root: TaxonomyNode): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (n: TaxonomyNode) => {
    names.set(n.id, n.name);
    n.children.forEach(walk);
  };
  walk(root);
  return names;
}

async function writeCsv(path: string, header: string[], rows: Iterable<unknown[]>): Promise<void> {
  await writeStreamAtomic(path, async (out) => {
    const csv = stringify({ header: true, columns: header });
    csv.pipe(out);
    for (const row of rows) {
      if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
    }
    csv.end();
  });
}

export interface FailureTexts {
  /** Every sampled failure with its texts, in saved order, one at a time: a run never holds every text in memory. */
  failuresInOrder(): Iterable<Failure>;
  /** Each analysis's criteria, in the failures' saved order: kept in the run database rather than in memory. */
  criteriaInOrder(): Iterable<readonly [failureId: string, criteria: Criterion[]]>;
  /** Sorted metadata keys of the failures: extra columns of the errors table. */
  failureMetadataKeys(): string[];
}

export interface RunFilesInput {
  dir: string;
  taxonomy: TaxonomyNode;
  /** The failures' texts and the analyses' criteria, streamed from the run database in one pass each. */
  failures: FailureTexts;
  analyses: AnalysisOutcome[];
  analysisFailures: AnalysisFailure[];
  assignments: Assignment[];
  /** Human audit reviews: the latest per failure fills the errors file's human_category and human_verdict. */
  reviews?: readonly Review[];
}

type ErrorsTableInput = Omit<RunFilesInput, 'failures' | 'analysisFailures'> & {
  failures: Pick<FailureTexts, 'failuresInOrder' | 'failureMetadataKeys'>;
};

type Origin = Pick<Failure, 'dataset' | 'exampleId' | 'model'>;

/** Errors, analyses, unanalysed failures and the taxonomy: the run's human-facing outputs. */
export async function writeRunFiles(input: RunFilesInput): Promise<void> {
  const { dir } = input;
  writeRunJson(dir, 'taxonomy', input.taxonomy);
  // Each failure's texts are read once, for the errors table; the other files need only where it comes from.
  const origins = new Map<string, Origin>();
  await writeErrorsCsv(input, origins);

  const outcomes = new Map(input.analyses.map((a) => [a.failureId, a]));
  // One line at a time: at 100,000 failures the whole file as one string took hundreds of megabytes.
  await writeStreamAtomic(runFile(dir, 'analyses'), async (out) => {
    for (const [failureId, criteria] of input.failures.criteriaInOrder()) {
      const a = outcomes.get(failureId);
      if (!a) continue;
      const f = origins.get(failureId);
      const line = JSON.stringify({
        failure_id: failureId,
        dataset: f?.dataset,
        example_id: f?.exampleId,
        model: f?.model,
        judge: a.judge,
        source: a.source,
        analysis: {
          criteria,
          has_error: a.hasError,
          error_title: a.errorTitle,
          error_summary: a.errorSummary,
          detector: a.detector,
        },
      });
      if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
    }
    out.end();
  });

  await writeCsv(
    runFile(dir, 'unanalysed'),
    ['failure_id', 'dataset', 'example_id', 'model', 'reason'],
    input.analysisFailures.map((u) => {
      const f = origins.get(u.failureId);
      return [u.failureId, f?.dataset ?? '', f?.exampleId ?? '', f?.model ?? '', u.reason];
    }),
  );
}

/** The errors file again after an audit, from the loaded run: the judge's columns unchanged, the human ones filled. */
export function rewriteErrorsCsv(run: RunData, reviews: readonly Review[]): Promise<void> {
  const metadataKeys = [...new Set(run.failures.flatMap((f) => Object.keys(f.metadata)))].sort();
  return writeErrorsCsv(
    {
      dir: run.dir,
      taxonomy: run.taxonomy,
      failures: { failuresInOrder: () => run.failures, failureMetadataKeys: () => metadataKeys },
      analyses: run.failures.flatMap((f) => (f.analysis ? [f.analysis] : [])),
      assignments: run.failures
        .filter((f) => f.path.length > 0)
        .map((f) => ({ failureId: f.id, leafId: f.path.at(-1) ?? '', path: f.path })),
      reviews,
    },
    new Map(),
  );
}

/** One row per analysed failure: input columns, the judge's analysis and category path, the human review; notes each failure's origin. */
async function writeErrorsCsv(input: ErrorsTableInput, origins: Map<string, Origin>): Promise<void> {
  const names = nodeNames(input.taxonomy);
  const paths = new Map(input.assignments.map((a) => [a.failureId, a.path]));
  const depth = input.assignments.reduce((d, a) => Math.max(d, a.path.length), 1);
  const metadataColumns = input.failures.failureMetadataKeys();
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
  const outcomes = new Map(input.analyses.map((a) => [a.failureId, a]));
  // In the failures' saved order, which is the analyses' order too.
  function* errorRows() {
    for (const f of input.failures.failuresInOrder()) {
      origins.set(f.id, { dataset: f.dataset, exampleId: f.exampleId, model: f.model });
      const a = outcomes.get(f.id);
      if (!a) continue;
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
  await writeCsv(runFile(input.dir, 'errors'), header, errorRows());
}
