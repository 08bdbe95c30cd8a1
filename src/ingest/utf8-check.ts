import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** Lines of one file that hold bytes which are not UTF-8 (the text decoder turned them into U+FFFD). */
export interface InvalidUtf8 {
  lines: number;
  firstLine: number;
}

/** The warning a reader gives, once per file, for bytes that are not UTF-8. */
export function invalidUtf8Warning(file: string, found: InvalidUtf8): string {
  const lines = found.lines === 1 ? '1 line holds' : `${found.lines} lines hold`;
  return `${file}: ${lines} bytes that are not valid UTF-8 (first at line ${found.firstLine}); they were read as U+FFFD (�). Save the file as UTF-8 to keep those characters.`;
}

/** Length of the prefix of `bytes` that ends on a whole UTF-8 sequence: a multi-byte character may be split between chunks. */
function wholeSequences(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > bytes.length ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * Passes bytes through unchanged while counting the lines that are not valid UTF-8; calls `onInvalid`
 * once at the end when there are any. Valid chunks cost one `isUtf8` check and a count of line feeds.
 */
export class Utf8Check extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private line = 1;
  private lastBadLine = 0;
  private found: InvalidUtf8 | undefined;

  constructor(private readonly onInvalid: (found: InvalidUtf8) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const whole = wholeSequences(bytes);
    this.scan(bytes.subarray(0, whole));
    this.pending = Buffer.from(bytes.subarray(whole));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.scan(this.pending);
    if (this.found) this.onInvalid(this.found);
    done();
  }

  private scan(bytes: Buffer): void {
    if (isUtf8(bytes)) {
      for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) this.line++;
      return;
    }
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      if (!isUtf8(bytes.subarray(start, end)) && this.lastBadLine !== this.line) {
        this.lastBadLine = this.line;
        this.found = { lines: (this.found?.lines ?? 0) + 1, firstLine: this.found?.firstLine ?? this.line };
      }
      if (newline === -1) return;
      this.line++;
      start = newline + 1;
    }
  }
}
