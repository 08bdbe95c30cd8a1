import { csvReader } from './csv-reader.js';
import { jsonlReader } from './jsonl-reader.js';
import type { InputReader } from './prediction.js';

/**
 * Input readers, tried in order; the first whose detect() accepts a path reads it.
 * More specific formats (framework logs) come before the generic CSV/JSONL readers.
 */
export const inputReaders: InputReader[] = [csvReader, jsonlReader];

export function findReader(path: string, head: Buffer, isDirectory: boolean, format?: string): InputReader | undefined {
  if (format) return inputReaders.find((r) => r.name === format);
  return inputReaders.find((r) => r.detect(path, head, isDirectory));
}
