import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { streamJsonArray } from './json-stream.js';
import { PythonNumberRewriter, parsePythonJson } from './python-json.js';

const PYTHON_TEXT = '{"a": NaN, "b": [Infinity, -Infinity, -1.5], "s": "NaN and -Infinity stay text \\" NaN", "t": true, "n": null}';
const PYTHON_VALUE = {
  a: Number.NaN,
  b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1.5],
  s: 'NaN and -Infinity stay text " NaN',
  t: true,
  n: null,
};

describe('parsePythonJson', () => {
  it('reads the bare words Python writes for nan and inf, and leaves the same words inside strings alone', () => {
    expect(parsePythonJson(PYTHON_TEXT)).toEqual(PYTHON_VALUE);
  });

  it('still rejects what is not JSON, with or without the words', () => {
    expect(() => parsePythonJson('{"a": nan}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaN,}')).toThrow(SyntaxError);
    expect(() => parsePythonJson("{'a': 1}")).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaNa}')).toThrow(SyntaxError);
  });
});

describe('PythonNumberRewriter', () => {
  it('gives the same text however the input is cut into chunks (words, escapes and strings cut anywhere)', () => {
    const marker = (word: string) => `<${word}>`;
    const whole = new PythonNumberRewriter(marker).push(PYTHON_TEXT, true);
    expect(whole).toBe(
      '{"a": <NaN>, "b": [<Infinity>, <-Infinity>, -1.5], "s": "NaN and -Infinity stay text \\" NaN", "t": true, "n": null}',
    );
    for (let size = 1; size <= 7; size++) {
      const rewriter = new PythonNumberRewriter(marker);
      let out = '';
      for (let i = 0; i < PYTHON_TEXT.length; i += size) out += rewriter.push(PYTHON_TEXT.slice(i, i + size));
      out += rewriter.end();
      expect(out, `chunks of ${size}`).toBe(whole);
    }
  });
});

describe('streamJsonArray with Python numbers', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('assembles NaN, Infinity and -Infinity as numbers, and a number that merely looks like a marker as itself', async () => {
    dir = mkdtempSync(join(tmpdir(), 'readers16-python-json-'));
    const file = join(dir, 'stats.json');
    writeFileSync(file, `{"stats": [${PYTHON_TEXT}, {"mean": 0.123456789, "word": "Infinity"}]}`);
    const values: unknown[] = [];
    for await (const { value } of streamJsonArray(file, 'stats')) values.push(value);
    expect(values).toEqual([PYTHON_VALUE, { mean: 0.123456789, word: 'Infinity' }]);
  });
});
