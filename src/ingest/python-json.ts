/**
 * JSON as Python's json module writes it: `float('nan')`, `float('inf')` and `-float('inf')` come out as the
 * bare words NaN, Infinity and -Infinity, which standard JSON does not allow (lm-eval results and samples,
 * HELM stats and Inspect scores hold them). Nothing is evaluated: the words are found by a small scanner that
 * knows where strings begin and end, replaced by markers a standard parser accepts, and the markers turned
 * back into the numbers after parsing. Any other departure from JSON stays an error.
 */
import { randomInt } from 'node:crypto';
import { flushable, none } from 'stream-chain/core';
import { fixUtf8Stream } from 'stream-chain/utils/fixUtf8Stream.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';

export type PythonNumberWord = 'NaN' | 'Infinity' | '-Infinity';

const WORD_VALUES: Record<PythonNumberWord, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

function isPythonNumberWord(word: string): word is PythonNumberWord {
  return Object.hasOwn(WORD_VALUES, word);
}

/** Digits no file holds by chance, so a marker cannot be mistaken for a value the file wrote. */
function nonce(): string {
  return Array.from({ length: 4 }, () => String(randomInt(100_000, 1_000_000))).join('');
}

const STRING_SPECIAL = /["\\]/g;
const OUTSIDE_SPECIAL = /["A-Za-z-]/g;
const LETTER = /[A-Za-z]/;

/**
 * Replaces the bare words outside strings as text arrives in chunks. A word cut by a chunk boundary is held
 * back until the next chunk (or the end) shows where it ends; a string cut mid-escape is followed too.
 */
export class PythonNumberRewriter {
  private inString = false;
  private afterBackslash = false;
  private held = '';

  constructor(private readonly marker: (word: PythonNumberWord) => string) {}

  /** The rewritten text of `chunk`, minus a word it may end in the middle of (given back by a later call). */
  push(chunk: string, last = false): string {
    const text = this.held + chunk;
    this.held = '';
    let out = '';
    let copied = 0;
    let i = 0;
    if (this.afterBackslash && text.length > 0) {
      this.afterBackslash = false;
      i = 1;
    }
    while (i < text.length) {
      if (this.inString) {
        STRING_SPECIAL.lastIndex = i;
        const found = STRING_SPECIAL.exec(text);
        if (!found) break;
        if (found[0] === '"') {
          this.inString = false;
          i = found.index + 1;
        } else if (found.index + 1 < text.length) {
          i = found.index + 2;
        } else {
          this.afterBackslash = true;
          break;
        }
        continue;
      }
      OUTSIDE_SPECIAL.lastIndex = i;
      const found = OUTSIDE_SPECIAL.exec(text);
      if (!found) break;
      const start = found.index;
      if (found[0] === '"') {
        this.inString = true;
        i = start + 1;
        continue;
      }
      let end = start + (found[0] === '-' ? 1 : 0);
      while (end < text.length && LETTER.test(text[end])) end += 1;
      if (end === text.length && !last) {
        this.held = text.slice(start);
        return out + text.slice(copied, start);
      }
      const word = text.slice(start, end);
      if (isPythonNumberWord(word)) {
        out += text.slice(copied, start) + this.marker(word);
        copied = end;
      }
      i = Math.max(end, start + 1);
    }
    return out + text.slice(copied);
  }

  /** What was held back at the end of the input. */
  end(): string {
    return this.push('', true);
  }
}

/** JSON.parse that also reads NaN, Infinity and -Infinity outside strings. Plain JSON takes the fast path. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const prefix = `python-number-${nonce()}:`;
  const rewritten = new PythonNumberRewriter((word) => `"${prefix}${word}"`).push(text, true);
  return JSON.parse(rewritten, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(prefix)) return value;
    const word = value.slice(prefix.length);
    return isPythonNumberWord(word) ? WORD_VALUES[word] : value;
  });
}

/**
 * stream-json's tokenizer, reading NaN, Infinity and -Infinity as numbers: the words become unique number
 * literals before the tokenizer, and those literals become the words again after it (stream-json's assembler
 * reads a number token with parseFloat, which reads the words). Use in place of stream-json's `parser()`.
 */
export function pythonJsonParser(): unknown[] {
  const id = nonce();
  const literals = new Map<string, PythonNumberWord>();
  const marker = (word: PythonNumberWord) => {
    const literal = `0.${id}${Object.keys(WORD_VALUES).indexOf(word) + 1}`;
    literals.set(literal, word);
    return literal;
  };
  const rewriter = new PythonNumberRewriter(marker);
  const rewrite = flushable((chunk: string | typeof none) => (chunk === none ? rewriter.end() : rewriter.push(chunk)));
  const restore = (token: Token) => {
    if (token.name !== 'numberValue') return token;
    const word = literals.get(token.value);
    return word === undefined ? token : { name: 'numberValue', value: word };
  };
  return [fixUtf8Stream(), rewrite, jsonParser(), restore];
}
