import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { rowToPrediction, unreadable } from './row-to-prediction.js';

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
  const source = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      yield rowToPrediction(parseObject(text, file, lineNumber), {
        file,
        line: lineNumber,
        datasetOverride: options.dataset,
      });
    }
  } catch (error) {
    // readline rethrows the stream's error (missing file, a folder, no permission).
    if (error instanceof InputError) throw error;
    throw unreadable(file, error);
  } finally {
    lines.close();
    source.destroy();
  }
}

function parseObject(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError({ file, line, problem: `the line is not valid JSON (${reason})` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InputError({ file, line, problem: `the line is ${kind}, not a JSON object` });
  }
  return value as Record<string, unknown>;
}
