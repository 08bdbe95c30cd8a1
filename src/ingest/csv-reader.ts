import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { excerpt, InputError } from '../errors.js';
import { csvRecords, MalformedCsv } from './csv-records.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { REQUIRED_FIELDS, rowToPrediction, unreadable } from './row-to-prediction.js';
import { invalidUtf8Warning, Utf8Check } from './utf8-check.js';

/** Reads reference-layout CSV files (example_id, model, input_text, output_text, score[, correct_answer]). */
export const csvReader: InputReader = {
  name: 'csv',
  detect(path, _head, isDirectory) {
    return !isDirectory && extname(path).toLowerCase() === '.csv';
  },
  read: readCsv,
};

/** Bytes read from the file at a time (Node's default is 64 KiB): fewer reads; csvRecords parses them in smaller pieces. */
const CHUNK_BYTES = 1024 * 1024;

export async function* readCsv(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const source = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const utf8 = new Utf8Check((found) => options.onWarning?.(invalidUtf8Warning(file, found)));
  // pipe() does not forward a read error (missing file, EISDIR); without this the loop would wait forever.
  source.on('error', (error) => utf8.destroy(unreadable(file, error)));
  let header: string[] | undefined;
  try {
    for await (const record of csvRecords(source.pipe(utf8))) {
      if (!header) {
        header = checkHeader(record.fields, file, record.line);
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((name, i) => {
        row[name] = record.fields[i];
      });
      yield rowToPrediction(row, { file, line: record.line, datasetOverride: options.dataset });
    }
  } catch (error) {
    if (error instanceof MalformedCsv) {
      const field = error.fieldIndex === undefined ? undefined : header?.[error.fieldIndex];
      throw new InputError({ file, line: error.line, field, problem: `malformed CSV: ${error.problem}` });
    }
    throw error;
  } finally {
    source.destroy();
    utf8.destroy();
  }
  if (!header) throw new InputError({ file, line: 1, problem: 'the file is empty (expected a header row)' });
}

function checkHeader(cells: string[], file: string, line: number): string[] {
  const header = cells.map((c) => c.trim());
  for (const field of REQUIRED_FIELDS) {
    if (!header.includes(field)) {
      throw new InputError({
        file,
        line,
        field,
        problem: `missing required column "${field}" (header has: ${excerpt(header.join(', '))})`,
      });
    }
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new InputError({ file, line, field: name, problem: `column "${excerpt(name)}" appears twice` });
    seen.add(name);
  }
  return header;
}
