import { basename, extname } from 'node:path';
import { excerpt, InputError } from '../errors.js';
import { normalizeFinishReason } from './finish-reason.js';
import { withoutScore } from './not-analysable.js';
import type { Prediction } from './prediction.js';
import { readScore } from './score-number.js';

/** Columns (CSV) or keys (JSONL) every row of the reference layout must have. */
export const REQUIRED_FIELDS = ['example_id', 'model', 'input_text', 'output_text', 'score'] as const;

/** Columns with a meaning of their own; every other column goes to metadata. */
/** Optional columns that `errormap import` writes, read back into their Prediction fields. */
const CARRIED_FIELDS = ['analysable', 'unanalysable_reason', 'grader_note', 'finish_reason'] as const;
const KNOWN_FIELDS = new Set<string>([...REQUIRED_FIELDS, 'correct_answer', 'dataset', ...CARRIED_FIELDS]);

export interface RowContext {
  file: string;
  line: number;
  /** Dataset name from --dataset; wins over a dataset column and the file name. */
  datasetOverride?: string;
}

/** The dataset name a file gives its rows when they carry none: the file name without extension. */
export function datasetFromFileName(file: string): string {
  return basename(file, extname(file));
}

/**
 * Turns one reference-layout row (column name → value) into a Prediction.
 * Throws InputError naming file, line and field for anything a user must fix.
 */
export function rowToPrediction(row: Record<string, unknown>, ctx: RowContext): Prediction {
  const fail = (field: string, problem: string): never => {
    throw new InputError({ file: ctx.file, line: ctx.line, field, problem });
  };
  for (const field of REQUIRED_FIELDS) {
    if (!(field in row)) fail(field, `missing required field "${field}"`);
  }

  const exampleId = asText(row.example_id).trim();
  if (exampleId === '') fail('example_id', 'example_id is empty');
  const model = asText(row.model).trim();
  if (model === '') fail('model', 'model is empty');

  // NaN (Python's json, pandas, Parquet) or null (pandas to_json) means the row has no score: kept, not analysed.
  // So does an empty cell in a row marked not analysable (how `errormap import` writes an unscored row to CSV).
  const carried = carriedFields(row);
  const scoreless =
    row.score === null ||
    (typeof row.score === 'number' && !Number.isFinite(row.score)) ||
    (carried.analysable === false && asText(row.score).trim() === '');
  const score = scoreless ? undefined : readScore(row.score);
  if (score && !score.ok) return fail('score', score.problem);

  const datasetCell = asText(row.dataset).trim();
  const dataset = ctx.datasetOverride ?? (datasetCell !== '' ? datasetCell : datasetFromFileName(ctx.file));

  // An empty cell means the benchmark has no reference answer for this example.
  const correctAnswer = asText(row.correct_answer) === '' ? undefined : asText(row.correct_answer);

  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (KNOWN_FIELDS.has(key) || value === null || value === undefined) continue;
    metadata[key] = asText(value);
  }

  const prediction: Prediction = {
    dataset,
    exampleId,
    model,
    inputText: asText(row.input_text),
    // An empty output is a real failure type (the model said nothing), so it is kept.
    outputText: asText(row.output_text),
    score: score?.value,
    correctAnswer,
    metadata,
    source: { file: ctx.file, line: ctx.line },
    ...carried,
  };
  // A reason the row carries (written by `errormap import`) says more than "the score is null".
  return scoreless && !carried.unanalysableReason ? withoutScore(prediction, 'the score', row.score) : prediction;
}

function carriedFields(
  row: Record<string, unknown>,
): Pick<Prediction, 'analysable' | 'unanalysableReason' | 'graderNote' | 'finishReason'> {
  const out: Pick<Prediction, 'analysable' | 'unanalysableReason' | 'graderNote' | 'finishReason'> = {};
  const analysable = asText(row.analysable).trim().toLowerCase();
  if (analysable === 'false' || analysable === '0') out.analysable = false;
  const reason = asText(row.unanalysable_reason);
  if (reason !== '') out.unanalysableReason = reason;
  const note = asText(row.grader_note);
  if (note !== '') out.graderNote = note;
  const finishReason = normalizeFinishReason(asText(row.finish_reason));
  if (finishReason) out.finishReason = finishReason;
  return out;
}

/** Text of a cell: strings as they are, null as empty, other JSON values as JSON. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // numbers as written, NaN and Infinity included (JSON would write null); true/false read the same either way
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The error for a file or folder that is missing or cannot be read. */
export function unreadable(file: string, error: unknown): InputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError({ file, problem: `cannot be read (${excerpt(reason)})`, code: 'INPUT_UNREADABLE' });
}
