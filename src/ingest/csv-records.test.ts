import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, csvRecords, MalformedCsv } from './csv-records.js';

/** `bytes` cut at the given offsets, in order. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const edges = [0, ...at, bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

async function recordsOf(chunks: Buffer[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of csvRecords(Readable.from(chunks))) out.push(record);
  return out;
}

async function failureOf(chunks: Buffer[]): Promise<{ records: CsvRecord[]; error: MalformedCsv }> {
  const records: CsvRecord[] = [];
  try {
    for await (const record of csvRecords(Readable.from(chunks))) records.push(record);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedCsv);
    return { records, error: error as MalformedCsv };
  }
  throw new Error('expected MalformedCsv');
}

// CRLF line breaks, a BOM, an empty line, quoted fields holding CRLF, LF, a lone CR, commas and escaped
// quotes, and characters of two to four UTF-8 bytes: every kind of place a chunk can end.
const TRICKY = Buffer.from(
  '\uFEFFid,text,n\r\n' + 'a,"one\r\ntwo",1\r\n' + '\r\n' + 'b,"é😀, ""quoted""\rsame line",2\r\n' + 'c,"x\ny\r\n",3\r\n' + 'd,€ plain,4',
);
const TRICKY_RECORDS: CsvRecord[] = [
  { fields: ['id', 'text', 'n'], line: 1 },
  { fields: ['a', 'one\r\ntwo', '1'], line: 2 },
  { fields: ['b', 'é😀, "quoted"\rsame line', '2'], line: 5 },
  { fields: ['c', 'x\ny\r\n', '3'], line: 6 },
  { fields: ['d', '€ plain', '4'], line: 9 },
];

describe('csvRecords', () => {
  it('gives each record with the line it starts at, in line feeds (a lone CR inside a field is no line)', async () => {
    expect(await recordsOf([TRICKY])).toEqual(TRICKY_RECORDS);
  });

  it('gives the same records wherever the chunks end: inside CRLF, quotes, escaped quotes and multi-byte characters', async () => {
    for (let at = 1; at < TRICKY.length; at += 1) {
      expect(await recordsOf(cut(TRICKY, [at])), `cut at byte ${at}`).toEqual(TRICKY_RECORDS);
    }
    expect(
      await recordsOf(
        cut(
          TRICKY,
          Array.from({ length: TRICKY.length - 1 }, (_, i) => i + 1),
        ),
      ),
    ).toEqual(TRICKY_RECORDS);
  });

  it('reads a record far longer than the pieces it is parsed in, and numbers the lines after it', async () => {
    const long = 'line\n'.repeat(100_000); // 500 kB in one quoted field
    const bytes = Buffer.from(`id,text\nq1,"${long}"\nq2,after\n`);
    const records = await recordsOf(cut(bytes, [10, 70_000, 300_000]));
    expect(records.map((r) => [r.fields[0], r.fields[1].length, r.line])).toEqual([
      ['id', 4, 1],
      ['q1', long.length, 2],
      ['q2', 5, 100_003],
    ]);
  });

  it('takes the line break from the first line outside quotes, even when the first chunk ends before it', async () => {
    const bytes = Buffer.from('"a\nb",c\r\nx,y\r\n');
    expect(await recordsOf(cut(bytes, [3]))).toEqual([
      { fields: ['a\nb', 'c'], line: 1 },
      { fields: ['x', 'y'], line: 3 },
    ]);
  });

  it('reads CR-only line breaks (old Mac files): no line feeds, so every record is on line 1', async () => {
    expect(await recordsOf([Buffer.from('id,n\rq1,1\rq2,2\r')])).toEqual([
      { fields: ['id', 'n'], line: 1 },
      { fields: ['q1', '1'], line: 1 },
      { fields: ['q2', '2'], line: 1 },
    ]);
  });

  it('keeps a quote inside an unquoted field as written, as Python and spreadsheets read it', async () => {
    expect((await recordsOf([Buffer.from('id,text\nq1,He said "hi"\n')]))[1].fields).toEqual(['q1', 'He said "hi"']);
  });

  it('yields the records before a broken one, then names the line it starts at', async () => {
    const { records, error } = await failureOf([Buffer.from('id,text,n\nq1,"a\nb",1\n\nq2,x\n')]);
    expect(records.map((r) => r.fields[0])).toEqual(['id', 'q1']);
    expect(error.line).toBe(5);
    expect(error.problem).toBe('the record has 2 fields where the header has 3');
    expect(error.fieldIndex).toBeUndefined();
  });

  it('treats a line holding only "" as a record with one empty field, not as an empty line', async () => {
    const { error } = await failureOf([Buffer.from('id,n\n""\nq1,1\n')]);
    expect(error.line).toBe(2);
  });

  it('names the field of a closing quote followed by other text, wherever the chunks end', async () => {
    const bytes = Buffer.from('id,a,b,c\nq1,"x,y",ok,"bad"quote\nq2,1,2,3\n');
    for (const chunks of [[bytes], cut(bytes, [30]), cut(bytes, [33])]) {
      const { error } = await failureOf(chunks);
      expect([error.line, error.fieldIndex]).toEqual([2, 3]);
      expect(error.problem).toMatch(/closing quote is followed by other text/);
    }
  });

  it('names the field of a quote never closed, at the line its record starts', async () => {
    const { error } = await failureOf([Buffer.from('id,a,b\nq1,x,"open\nmore\nlines\n')]);
    expect([error.line, error.fieldIndex]).toEqual([2, 2]);
    expect(error.problem).toMatch(/quoted field is not closed/);
  });

  it('gives nothing for an empty text, a lone BOM or empty lines only', async () => {
    expect(await recordsOf([])).toEqual([]);
    expect(await recordsOf([Buffer.from('\uFEFF')])).toEqual([]);
    expect(await recordsOf([Buffer.from('\n\n\n')])).toEqual([]);
    expect(await recordsOf([Buffer.from('\r\n\r\n')])).toEqual([]);
  });
});
