import { extname } from 'node:path';
import { readJsonObjectLines } from './json-lines.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { rowToPrediction } from './row-to-prediction.js';

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);

/** Reads reference-layout JSON Lines: one object per line with example_id, model, input_text, output_text, score. */
export const jsonlReader: InputReader = {
  name: 'jsonl',
  detect(path, _head, isDirectory) {
    return !isDirectory && JSONL_EXTENSIONS.has(extname(path).toLowerCase());
  },
  read: readJsonl,
};

export async function* readJsonl(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  for await (const { line, value } of readJsonObjectLines(file, options.onWarning))
    yield rowToPrediction(value, { file, line, datasetOverride: options.dataset });
}
