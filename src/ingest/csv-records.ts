/**
 * The records of a CSV file, each with the line it starts at, from the file's bytes in chunks.
 * Papa Parse splits the text into records; what it does not do is here: carrying a record that a chunk
 * cuts in two over to the next chunk, skipping empty lines, holding every record to the header's field
 * count, and numbering lines.
 */
import Papa from 'papaparse';

export interface CsvRecord {
  fields: string[];
  /** Line where the record starts, counted in line feeds as editors and grep count (a lone CR is no line break). */
  line: number;
}

/** CSV that cannot be split into records. */
export class MalformedCsv extends Error {
  constructor(
    /** Line where the broken record starts. */
    readonly line: number,
    readonly problem: string,
    /** Index of the field a quoting error is in. */
    readonly fieldIndex?: number,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'MalformedCsv';
  }
}

/**
 * Every record of the CSV text in `bytes` (UTF-8; a leading byte-order mark is dropped, bytes that are not
 * UTF-8 read as U+FFFD), empty lines skipped. Throws MalformedCsv at the first broken record, after
 * yielding the records before it.
 */
export async function* csvRecords(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord> {
  // The streaming decoder joins a multi-byte character that two pieces split.
  const decoder = new TextDecoder();
  const splitter = new RecordSplitter();
  for await (const chunk of bytes) {
    for (let at = 0; at < chunk.length; at += TEXT_PIECE_BYTES) {
      yield* splitter.add(decoder.decode(chunk.subarray(at, at + TEXT_PIECE_BYTES), { stream: true }), false);
    }
  }
  yield* splitter.add(decoder.decode(), true);
}

/**
 * Bytes decoded and parsed at a time. The text then stays under V8's large-object size (128 KiB, 64 Ki
 * two-byte characters): making such strings costs several times more (the shared data read 3 times slower
 * in pieces of 64 KiB than of 32 KiB).
 */
const TEXT_PIECE_BYTES = 32 * 1024;

type LineBreak = '\n' | '\r\n' | '\r';
type Row = Papa.ParseStepResult<string[][]>;

/** Splits text, given piece by piece, into records; keeps what the last piece left unfinished for the next. */
class RecordSplitter {
  /** The text not yet split: from the start of a record that the pieces so far did not finish. */
  private text = '';
  /** Length `text` must reach before it is parsed again (when the last parse finished no record). */
  private parseAt = 0;
  private lineBreak: LineBreak | undefined;
  private parser: Papa.Parser | undefined;
  /** Rows Papa Parse handed over during one parse, each with the offset in `text` where it ends (meta.cursor). */
  private rows: Row[] = [];
  /** Field count of the header (the first record). */
  private width: number | undefined;
  /** Line feeds before `text`. */
  private lineFeeds = 0;

  /** Adds the next piece of text and yields the records it finishes (all that are left when `last`). */
  *add(piece: string, last: boolean): Generator<CsvRecord> {
    this.text += piece;
    // A record longer than a piece would otherwise be parsed again with every piece: time squared in its length.
    if (this.text.length < this.parseAt && !last) return;
    this.lineBreak ??= firstLineBreak(this.text, last) ?? (last ? '\n' : undefined);
    if (this.lineBreak) {
      this.parser ??= new Papa.Parser({ delimiter: ',', newline: this.lineBreak, step: (row: Row) => this.rows.push(row) });
      // Unless this is the last piece, the text ends in a record that the next piece may go on with: Papa Parse leaves it out.
      this.parser.parse(this.text, 0, !last);
    }
    const rows = this.rows;
    this.rows = [];
    let start = 0;
    for (const { data, errors, meta } of rows) {
      const fields = data[0];
      const line = this.lineFeeds + 1;
      if (errors.length > 0) throw this.quoteError(line, start, errors[0]);
      // A line holding just "" is a record with one empty field, not an empty line.
      if (!(fields.length === 1 && fields[0] === '' && this.text[start] !== '"')) {
        this.width ??= fields.length;
        if (fields.length !== this.width) {
          throw new MalformedCsv(line, `the record has ${fields.length} fields where the header has ${this.width}`);
        }
        yield { fields: fields.map(detached), line };
      }
      this.lineFeeds += lineFeedsIn(this.text, start, meta.cursor);
      start = meta.cursor;
    }
    this.text = this.text.slice(start);
    this.parseAt = rows.length === 0 ? 2 * this.text.length : 0;
  }

  private quoteError(line: number, start: number, error: Papa.ParseError): MalformedCsv {
    const problem =
      error.code === 'MissingQuotes'
        ? 'a quoted field is not closed: its opening quote has no closing quote'
        : 'a closing quote is followed by other text (a quote inside a quoted field is written "")';
    // Papa Parse gives the offset just past the field's opening quote: the fields before it are counted.
    const before = Papa.parse<string[]>(this.text.slice(start, (error.index ?? start + 1) - 1), {
      delimiter: ',',
      newline: this.lineBreak,
    }).data[0];
    return new MalformedCsv(line, problem, before ? before.length - 1 : 0);
  }
}

/** Line feeds in text from `start` to just before `end`. */
function lineFeedsIn(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/**
 * The line break of CSV text: the first one outside quotes (Papa Parse's own guess votes over the first
 * chunk, and a chunk that ends inside a quoted field of the header would mislead it). Undefined until the
 * text holds one and, unless it is `complete`, the character after it (a CR may be the start of CRLF).
 */
function firstLineBreak(text: string, complete: boolean): LineBreak | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') return '\n';
    else if (c === '\r' && i + 1 < text.length) return text[i + 1] === '\n' ? '\r\n' : '\r';
    else if (c === '\r') return complete ? '\r' : undefined;
  }
  return undefined;
}

/**
 * A copy of `field` that shares no memory with the text it was cut from, one byte a character where it
 * can be. V8 keeps a substring as a view of its parent, so a field kept after reading (the read stage
 * keeps every row's example id and model) would keep its whole piece of the file in memory, and a
 * field cut from text holding any character beyond Latin-1 takes two bytes a character.
 */
function detached(field: string): string {
  return Buffer.from(field).toString();
}
