import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { parquetReader } from './parquet-reader.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/formats/parquet/predictions.parquet');

const collect = predictionCollector(parquetReader.read);

const temp = tempDirsRemovedAfterEach('parquet-');

describe('parquetReader', () => {
  it('detects by extension or by the PAR1 magic', () => {
    expect(parquetReader.detect('/x/a.parquet', Buffer.alloc(0), false)).toBe(true);
    expect(parquetReader.detect('/x/a.bin', Buffer.from('PAR1....'), false)).toBe(true);
    expect(parquetReader.detect('/x/a.csv', Buffer.from('a,b'), false)).toBe(false);
  });

  it('reads every row across row groups, with INT64 ids as text and other columns as metadata', async () => {
    const rows = await collect(FIXTURE);
    expect(rows.map((r) => `${r.model}|${r.exampleId}|${r.score}`)).toEqual([
      'model-a|101|1',
      'model-a|102|0',
      'model-a|103|1',
      'model-b|101|0.5',
      'model-b|9007199254740993|0',
    ]);
    expect(rows[1]).toMatchObject({
      dataset: 'arith',
      inputText: '3*3?',
      outputText: '6',
      correctAnswer: '9',
      metadata: { subject: 'mul' },
    });
    expect(rows[4].correctAnswer).toBeUndefined();
    expect(rows[4].source).toEqual({ file: FIXTURE, line: 5 });
    expect((await collect(FIXTURE, { dataset: 'other' }))[0].dataset).toBe('other');
  });

  it('names the file, row and field of a row without a score', async () => {
    const file = join(temp.dir(), 'no-score.parquet');
    parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'example_id', type: 'STRING', data: ['a', 'b'] },
        { name: 'model', type: 'STRING', data: ['m', 'm'] },
        { name: 'input_text', type: 'STRING', data: ['q', 'q'] },
        { name: 'output_text', type: 'STRING', data: ['o', 'o'] },
        { name: 'score', type: 'STRING', data: ['1', 'high'] },
      ],
    });
    await expect(collect(file)).rejects.toThrow(`${file}, line 2, field "score": score "high" is not a decimal number`);
  });

  it('reports a file that is not Parquet', async () => {
    const file = join(temp.dir(), 'fake.parquet');
    writeFileSync(file, 'hello, world');
    await expect(collect(file)).rejects.toThrow(/fake.parquet: not a readable Parquet file/);
  });
});
