import { csvReader } from './csv-reader.js';
import { helmReader } from './helm-reader.js';
import { inspectReader } from './inspect-reader.js';
import { jsonlReader } from './jsonl-reader.js';
import { lmEvalReader } from './lm-eval-reader.js';
import { parquetReader } from './parquet-reader.js';
import type { InputReader } from './prediction.js';
import { promptfooReader } from './promptfoo-reader.js';

/**
 * Input readers, tried in order; the first whose detect() accepts a path reads it.
 * More specific formats (framework logs) come before the generic CSV/JSONL readers.
 */
export const inputReaders: InputReader[] = [
  helmReader,
  lmEvalReader,
  inspectReader,
  promptfooReader,
  parquetReader,
  csvReader,
  jsonlReader,
];

export function findReader(path: string, head: Buffer, isDirectory: boolean, format?: string): InputReader | undefined {
  if (format) return inputReaders.find((r) => r.name === format);
  return inputReaders.find((r) => r.detect(path, head, isDirectory));
}
