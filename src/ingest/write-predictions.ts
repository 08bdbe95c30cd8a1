import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { ConfigError } from '../errors.js';
import type { Prediction } from './prediction.js';

export type OutputFormat = 'csv' | 'jsonl';

/** What was written, for the user: rows, and the rows that cannot be analysed grouped by reason. */
export interface WriteSummary {
  file: string;
  format: OutputFormat;
  rows: number;
  unanalysable: number;
  /** Reason → count, in first-seen order. */
  reasons: Map<string, number>;
}

/** The reference-layout columns, in order; metadata columns follow, then the framework columns below. */
export const FIXED_COLUMNS = ['dataset', 'example_id', 'model', 'input_text', 'output_text', 'score', 'correct_answer'] as const;
/** Columns that carry Prediction fields outside the reference layout (written only when some row has them). */
export const EXTRA_COLUMNS = ['analysable', 'unanalysable_reason', 'grader_note', 'finish_reason'] as const;

export function outputFormatOf(file: string): OutputFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new ConfigError(`--out ${file}: the output must end in .csv or .jsonl`);
}

type Row = Record<string, string | number | null>;

/** One prediction as a flat row: the reference columns, its metadata, then the extra columns it has. */
export function predictionToRow(p: Prediction): Row {
  const row: Row = {
    dataset: p.dataset,
    example_id: p.exampleId,
    model: p.model,
    input_text: p.inputText,
    output_text: p.outputText,
    // No score: null in JSON Lines, an empty cell in CSV; read back as unscored (the row says analysable=false).
    score: p.score ?? null,
  };
  if (p.correctAnswer !== undefined) row.correct_answer = p.correctAnswer;
  for (const [key, value] of Object.entries(p.metadata)) {
    if (!(key in row) && !(EXTRA_COLUMNS as readonly string[]).includes(key)) row[key] = value;
  }
  // A file written here and read back by the CSV/JSONL reader carries these as metadata: keep them.
  const carried = (key: string) => (p.metadata[key] ? p.metadata[key] : undefined);
  const analysable = p.analysable === false ? 'false' : carried('analysable');
  const reason = p.unanalysableReason ?? carried('unanalysable_reason');
  const note = p.graderNote ?? carried('grader_note');
  if (analysable !== undefined) row.analysable = analysable;
  if (reason !== undefined) row.unanalysable_reason = reason;
  if (note !== undefined) row.grader_note = note;
  if (p.finishReason !== undefined) row.finish_reason = p.finishReason;
  return row;
}

/**
 * Streams predictions to a CSV or JSONL file. The file appears only when complete (written beside it, then renamed).
 * CSV needs every column before the first row, so rows are spooled to a hidden JSONL file first: memory stays flat.
 */
export async function writePredictions(predictions: AsyncIterable<Prediction>, file: string): Promise<WriteSummary> {
  const format = outputFormatOf(file);
  const summary: WriteSummary = { file, format, rows: 0, unanalysable: 0, reasons: new Map() };
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  const spool = join(dirname(file), `.${basename(file)}.${process.pid}.spool.jsonl`);
  const columns = new Set<string>();
  const extras = new Set<string>();

  async function* lines(): AsyncGenerator<string> {
    for await (const p of predictions) {
      summary.rows += 1;
      if (p.analysable === false) {
        summary.unanalysable += 1;
        const reason = p.unanalysableReason ?? 'no reason given';
        summary.reasons.set(reason, (summary.reasons.get(reason) ?? 0) + 1);
      }
      const row = predictionToRow(p);
      for (const key of Object.keys(row)) ((EXTRA_COLUMNS as readonly string[]).includes(key) ? extras : columns).add(key);
      yield `${JSON.stringify(row)}\n`;
    }
  }

  try {
    if (format === 'jsonl') {
      await pipeline(Readable.from(lines()), createWriteStream(partial));
    } else {
      await pipeline(Readable.from(lines()), createWriteStream(spool));
      const header = [
        ...FIXED_COLUMNS,
        ...[...columns].filter((c) => !(FIXED_COLUMNS as readonly string[]).includes(c)),
        ...EXTRA_COLUMNS.filter((c) => extras.has(c)),
      ];
      await pipeline(
        Readable.from(spooledRows(spool)),
        stringify({ header: true, columns: header, cast: { number: (n) => String(n) } }),
        createWriteStream(partial),
      );
    }
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
    await rm(spool, { force: true });
  }
  return summary;
}

async function* spooledRows(spool: string): AsyncGenerator<Row> {
  const lines = createInterface({ input: createReadStream(spool, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as Row;
}
