import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { excerpt, InputError } from '../errors.js';
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

interface RecordInfo {
  /** Bytes read up to the end of this record, its line break included. */
  bytes: number;
  /** Bytes up to the end of the last record emitted (set on errors). */
  bytes_records: number;
  empty_lines: number;
}

/**
 * Passes the file through while counting line feeds, so a record's starting line can be found from its byte offset.
 * csv-parse's own line count also counts a lone CR inside a quoted field, which text editors and grep do not.
 */
class LineFeedCounter extends Transform {
  private pending: Buffer[] = [];
  private scannedTo = 0;
  private lineFeeds = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    done(null, chunk);
  }

  /** Line feeds in the bytes before `offset`; offsets must not decrease between calls. */
  lineFeedsBefore(offset: number): number {
    while (this.scannedTo < offset && this.pending.length > 0) {
      const chunk = this.pending[0];
      const take = Math.min(chunk.length, offset - this.scannedTo);
      for (let i = 0; i < take; i += 1) if (chunk[i] === 0x0a) this.lineFeeds += 1;
      this.scannedTo += take;
      if (take === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
    return this.lineFeeds;
  }
}

/** Finds where each record starts: a quoted field can span lines, and csv-parse reports where a record ends. */
class RecordLines {
  private previousEnd = 0;
  private previousEmpty = 0;
  constructor(private readonly counter: LineFeedCounter) {}

  /** Starting line of the record that ends at `info.bytes` (skipped empty lines before it are not part of it). */
  next(info: RecordInfo): number {
    const line = this.startLine(info);
    this.previousEnd = info.bytes;
    this.previousEmpty = info.empty_lines;
    return line;
  }

  /** Starting line of the record after the last one emitted. */
  startLine(info: Pick<RecordInfo, 'empty_lines'>): number {
    return 1 + this.counter.lineFeedsBefore(this.previousEnd) + (info.empty_lines - this.previousEmpty);
  }
}

export async function* readCsv(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const source = createReadStream(file);
  const counter = new LineFeedCounter();
  const utf8 = new Utf8Check((found) => options.onWarning?.(invalidUtf8Warning(file, found)));
  const parser = source
    .pipe(utf8)
    .pipe(counter)
    .pipe(parse({ bom: true, info: true, skip_empty_lines: true }));
  // pipe() does not forward a read error (missing file, EISDIR); without this the loop would wait forever.
  source.on('error', (error) => parser.destroy(unreadable(file, error)));
  const lines = new RecordLines(counter);
  let header: string[] | undefined;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; info: RecordInfo }>) {
      const line = lines.next(chunk.info);
      if (!header) {
        header = checkHeader(chunk.record, file, line);
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((name, i) => {
        row[name] = chunk.record[i];
      });
      yield rowToPrediction(row, { file, line, datasetOverride: options.dataset });
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const info = error as unknown as RecordInfo & { index?: number };
      // Only a quoting error is about one field; a wrong field count is about the whole record.
      const aboutField = error.code.includes('QUOTE') && header && typeof info.index === 'number';
      const field = aboutField ? header?.[info.index as number] : undefined;
      // csv-parse's own "at line N" counts differently; the record's starting line is given instead.
      const problem = `malformed CSV: ${error.message.replace(/ (?:at|on) line \d+/, '')}`;
      throw new InputError({ file, line: lines.startLine(info), field, problem });
    }
    throw error;
  } finally {
    source.destroy();
    parser.destroy();
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
