import { describe, expect, it } from 'vitest';
import { inputErrorOf, predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { readCsv } from './csv-reader.js';
import { readJsonl } from './jsonl-reader.js';
import { decimalNumber, readScore } from './score-number.js';

const temp = tempDirsRemovedAfterEach('errormap-score-');
const HEADER = 'example_id,model,input_text,output_text,score';

describe('readScore', () => {
  it('accepts decimal numbers as people write them, and true/false', () => {
    for (const [text, value] of [
      ['1', 1],
      ['0.5', 0.5],
      [' -2.5 ', -2.5],
      ['.25', 0.25],
      ['3.', 3],
      ['1e-3', 0.001],
      ['+4E2', 400],
    ] as const) {
      expect(readScore(text)).toEqual({ ok: true, value });
    }
    expect(readScore(true)).toEqual({ ok: true, value: 1 });
    expect(readScore(0.75)).toEqual({ ok: true, value: 0.75 });
  });

  it('rejects hexadecimal, binary, Infinity, NaN and empty text, naming what it read', () => {
    for (const text of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '1_000', '1,5']) {
      const reading = readScore(text);
      expect(reading.ok, text).toBe(false);
      expect(!reading.ok && reading.problem).toBe(`score ${JSON.stringify(text)} is not a decimal number`);
    }
    expect(readScore('  ')).toEqual({ ok: false, problem: 'score is empty' });
    expect(readScore('1e999')).toEqual({ ok: false, problem: 'score 1e999 is not a finite number' });
    expect(readScore(null)).toEqual({ ok: false, problem: 'score null is not a number' });
    expect(readScore(undefined)).toEqual({ ok: false, problem: 'score undefined is not a number' });
    expect(readScore({ v: 1 })).toEqual({ ok: false, problem: 'score {"v":1} is not a number' });
    expect(readScore(Number.NaN)).toEqual({ ok: false, problem: 'score NaN is not a finite number' });
    expect(readScore(false)).toEqual({ ok: true, value: 0 });
  });

  it('decimalNumber: a decimal string as a number, anything else undefined', () => {
    expect(decimalNumber(' 0.5 ')).toBe(0.5);
    expect(decimalNumber('0x10')).toBeUndefined();
    expect(decimalNumber('')).toBeUndefined();
  });

  it('quotes at most 200 characters of a bad score', () => {
    const reading = readScore('x'.repeat(5_000_000));
    expect(!reading.ok && reading.problem.length).toBeLessThan(300);
  });
});

describe('scores in files', () => {
  it('CSV: "0x10" is refused with file, line and field', async () => {
    const file = temp.file('hex.csv', `${HEADER}\nq1,m,in,out,1\nq2,m,in,out,0x10\n`);
    const error = await inputErrorOf(predictionCollector(readCsv)(file));
    expect(error.message).toBe(`${file}, line 3, field "score": score "0x10" is not a decimal number`);
  });

  it('an empty score cell is refused, never read as a score of 0 (a silent failure)', async () => {
    const csv = temp.file('empty.csv', `${HEADER}\nq1,m,in,out,1\nq2,m,in,out,\nq3,m,in,out,0\n`);
    const csvError = await inputErrorOf(predictionCollector(readCsv)(csv));
    expect(csvError.message).toBe(`${csv}, line 3, field "score": score is empty`);
    const jsonl = temp.file('empty.jsonl', '{"example_id": "q", "model": "m", "input_text": "i", "output_text": "o", "score": ""}\n');
    const jsonlError = await inputErrorOf(predictionCollector(readJsonl)(jsonl));
    expect(jsonlError.message).toBe(`${jsonl}, line 1, field "score": score is empty`);
    expect(readScore('')).toEqual({ ok: false, problem: 'score is empty' });
  });

  it('JSONL: 1e999 is named as written, not as null or Infinity', async () => {
    const line = (score: string) => `{"example_id": "q", "model": "m", "input_text": "i", "output_text": "o", "score": ${score}}`;
    const file = temp.file('big.jsonl', `${line('1')}\n${line('1e999')}\n`);
    const error = await inputErrorOf(predictionCollector(readJsonl)(file));
    expect(error.message).toBe(`${file}, line 2, field "score": score 1e999 is not a finite number`);
  });
});
