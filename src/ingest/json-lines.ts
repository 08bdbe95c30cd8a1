/** Streams the objects of a JSON Lines file, one line at a time, so files of any size read in constant memory. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';
import { parsePythonJson } from './python-json.js';
import { unreadable } from './row-to-prediction.js';
import { invalidUtf8Warning, Utf8Check } from './utf8-check.js';

export interface JsonObjectLine {
  /** 1-based line number in the file. */
  line: number;
  value: Record<string, unknown>;
}

/**
 * Every non-blank line of `file` parsed as a JSON object (a leading byte-order mark is dropped; NaN,
 * Infinity and -Infinity as Python writes them read as numbers). A line
 * that is not valid JSON or not an object is an InputError naming the line; a file that cannot be read
 * (missing, a folder, no permission) is INPUT_UNREADABLE. Bytes that are not UTF-8 are counted and
 * reported once through `onWarning`.
 */
export async function* readJsonObjectLines(file: string, onWarning?: (message: string) => void): AsyncGenerator<JsonObjectLine> {
  const source = createReadStream(file);
  const utf8 = new Utf8Check((found) => onWarning?.(invalidUtf8Warning(file, found)));
  // pipe() does not forward a read error; readline then sees it through the check stream.
  source.on('error', (error) => utf8.destroy(error));
  const lines = createInterface({ input: source.pipe(utf8), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      yield { line, value: parseObject(text, file, line) };
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
    value = parsePythonJson(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError({ file, line, problem: `the line is not valid JSON (${reason})` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InputError({ file, line, problem: `the line is ${kind}, not a JSON object` });
  }
  return withOverflowsAsWritten(value as Record<string, unknown>, text);
}

/**
 * JSON.parse turns a number too large for a double (1e999) into Infinity, and messages would then
 * show "Infinity" or "null". Such a top-level value is replaced by its text in the line, so the
 * reader can name what the file says.
 */
function withOverflowsAsWritten(value: Record<string, unknown>, text: string): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'number' || Number.isFinite(v)) continue;
    const written = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*(-?[0-9][0-9.eE+-]*)`).exec(text);
    if (written) value[key] = written[1];
  }
  return value;
}
