import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorOf, predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { csvReader, readCsv } from './csv-reader.js';

const BAD = join(import.meta.dirname, '../../test/fixtures/bad');

const readAll = predictionCollector(readCsv);

const temp = tempDirsRemovedAfterEach('errormap-csv-');

describe('csv reader', () => {
  it('detects .csv files only', () => {
    expect(csvReader.detect('a/b/mmlu.CSV', Buffer.alloc(0), false)).toBe(true);
    expect(csvReader.detect('a/b/mmlu.jsonl', Buffer.alloc(0), false)).toBe(false);
    expect(csvReader.detect('a/b.csv', Buffer.alloc(0), true)).toBe(false);
  });

  it('reads the reference layout: dataset from the file name, extra columns as metadata, empty answer as undefined', async () => {
    const file = temp.file(
      'mmlu_pro.csv',
      '\uFEFFexample_id,model,input_text,output_text,score,correct_answer,subject\nq1,m1,"What, is 2+2?",,0,,math\nq2,m2,x,y,1.5,B,law\n',
    );
    const [first, second] = await readAll(file);
    expect(first).toMatchObject({
      dataset: 'mmlu_pro',
      exampleId: 'q1',
      model: 'm1',
      inputText: 'What, is 2+2?',
      outputText: '',
      score: 0,
      metadata: { subject: 'math' },
      source: { file, line: 2 },
    });
    expect(first.correctAnswer).toBeUndefined();
    expect(second).toMatchObject({ score: 1.5, correctAnswer: 'B', source: { line: 3 } });
  });

  it('takes the dataset from a dataset column, and --dataset over both', async () => {
    const file = temp.file('results.csv', 'dataset,example_id,model,input_text,output_text,score\ngsm8k,1,m,i,o,1\n');
    expect((await readAll(file))[0].dataset).toBe('gsm8k');
    expect((await readAll(file, { dataset: 'other' }))[0].dataset).toBe('other');
  });

  it('reports the starting line of records with quoted multi-line fields, CRLF and stray CRs', async () => {
    const file = temp.file(
      'lines.csv',
      'example_id,model,input_text,output_text,score\r\nq1,m,"a\r\nb\rc",o,1\r\n\r\nq2,m,"x\n\ny",o,1\r\nq3,m,i,o,1\r\n',
    );
    const lines = (await readAll(file)).map((p) => [p.exampleId, p.source.line]);
    expect(lines).toEqual([
      ['q1', 2],
      ['q2', 5],
      ['q3', 8],
    ]);
  });

  it('names file, line and field for a bad score in a record that starts after multi-line fields', async () => {
    const file = join(BAD, 'multiline-bad-score.csv');
    const error = await inputErrorOf(readAll(file));
    expect(error.line).toBe(5);
    expect(error.field).toBe('score');
    expect(error.message).toContain(file);
    expect(error.message).toContain('line 5');
    expect(error.message).toContain('"score"');
  });

  it.each([
    ['missing-score-column.csv', 1, 'score'],
    ['non-numeric-score.csv', 3, 'score'],
    ['nan-score.csv', 2, 'score'],
    ['empty-example-id.csv', 3, 'example_id'],
  ])('rejects %s at line %i, field %s', async (name, line, field) => {
    const error = await inputErrorOf(readAll(join(BAD, name)));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(name);
    expect(error.message).toContain(`line ${line}`);
    expect(error.message).toContain(`field "${field}"`);
  });

  it('reports malformed CSV at the line where the broken record starts', async () => {
    const error = await inputErrorOf(readAll(join(BAD, 'unclosed-quote.csv')));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/unclosed-quote\.csv, line 2.*malformed CSV/);
  });

  it('reports a row with the wrong number of fields at its line', async () => {
    const file = temp.file('short.csv', 'example_id,model,input_text,output_text,score\nq1,m,i,o,1\nq2,m,"i\n2",o\n');
    const error = await inputErrorOf(readAll(file));
    expect(error.line).toBe(3);
    expect(error.message).toContain('short.csv, line 3: malformed CSV');
  });

  it('names the field of a quoting error and the line its record starts at', async () => {
    const file = temp.file('quote.csv', 'example_id,model,input_text,output_text,score\nq1,m,"a\nb",o,1\nq2,m,"bad"quote,o,1\n');
    const error = await inputErrorOf(readAll(file));
    expect(error.message).toMatch(/quote\.csv, line 4, field "input_text": malformed CSV: a closing quote is followed by other text/);
    const unclosed = await inputErrorOf(readAll(join(BAD, 'unclosed-quote.csv')));
    expect(unclosed.field).toBe('input_text');
  });

  it('reads a file of many chunks: records cut by a chunk end, CRLF inside and between records, multi-byte characters', async () => {
    const rows = 6_000; // about 400 kB: a dozen pieces of text parsed one after another
    const inputText = (i: number) => `línea ${i}\r\n😀 ${'€'.repeat(i % 7)}${'x'.repeat(i % 50)}`;
    const body = Array.from({ length: rows }, (_, i) => `q${i},m,"${inputText(i)}",o,1\r\n`).join('');
    const file = temp.file('many.csv', `example_id,model,input_text,output_text,score\r\n${body}`);
    const predictions = await readAll(file);
    expect(predictions).toHaveLength(rows);
    const wrong = predictions.filter((p, i) => p.exampleId !== `q${i}` || p.inputText !== inputText(i) || p.source.line !== 2 + 2 * i);
    expect(wrong).toEqual([]);
  });

  it('gives the empty-file error for an empty file and for one holding only a BOM and empty lines', async () => {
    for (const content of ['', '\uFEFF\r\n\r\n']) {
      const error = await inputErrorOf(readAll(temp.file('empty.csv', content)));
      expect(error.message).toContain('empty.csv, line 1: the file is empty (expected a header row)');
    }
  });

  it('gives INPUT_UNREADABLE for a folder named like a CSV file', async () => {
    const folder = join(temp.dir(), 'folder.csv');
    mkdirSync(folder);
    const error = await inputErrorOf(readAll(folder));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toContain('folder.csv');
  });

  it('gives INPUT_UNREADABLE for a missing file', async () => {
    const error = await inputErrorOf(readAll('/nonexistent/errormap/x.csv'));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toContain('/nonexistent/errormap/x.csv');
  });
});
