import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { readCsv } from './csv-reader.js';
import { readJsonl } from './jsonl-reader.js';
import { type InvalidUtf8, Utf8Check } from './utf8-check.js';

const temp = tempDirsRemovedAfterEach('errormap-utf8-');
const LATIN1_E_ACUTE = Buffer.from([0xe9]);

/** Runs `chunks` through the check; returns what it found (undefined when all is UTF-8) and the bytes it passed on. */
async function check(chunks: Buffer[]): Promise<{ found?: InvalidUtf8; out: Buffer }> {
  let found: InvalidUtf8 | undefined;
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), new Utf8Check((f) => (found = f)), async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return { found, out: Buffer.concat(out) };
}

describe('Utf8Check', () => {
  it('passes valid UTF-8 through, even with a character split between chunks', async () => {
    const text = Buffer.from('line one\nnaïve café — 数学 🙂\nend\n');
    const split = text.indexOf(Buffer.from('🙂')) + 2;
    const { found, out } = await check([text.subarray(0, split), text.subarray(split)]);
    expect(found).toBeUndefined();
    expect(out.equals(text)).toBe(true);
  });

  it('counts each line holding invalid bytes once and names the first', async () => {
    const bytes = Buffer.concat([
      Buffer.from('ok\nbad '),
      LATIN1_E_ACUTE,
      Buffer.from(' twice '),
      LATIN1_E_ACUTE,
      Buffer.from('\nok\n'),
      LATIN1_E_ACUTE,
    ]);
    const { found, out } = await check([bytes.subarray(0, 5), bytes.subarray(5)]);
    expect(found).toEqual({ lines: 2, firstLine: 2 });
    expect(out.equals(bytes)).toBe(true);
  });
});

describe('invalid UTF-8 in input files', () => {
  it('CSV and JSONL: read on, and warn once per file with the first line', async () => {
    const csv = temp.file(
      'latin1.csv',
      Buffer.concat([
        Buffer.from('example_id,model,input_text,output_text,score\nq1,m,caf'),
        LATIN1_E_ACUTE,
        Buffer.from(',o,1\nq2,m,i,o,0\n'),
      ]),
    );
    const warnings: string[] = [];
    const rows = await predictionCollector(readCsv)(csv, { onWarning: (w) => warnings.push(w) });
    expect(rows).toHaveLength(2);
    expect(rows[0].inputText).toBe('caf\uFFFD');
    expect(warnings).toEqual([expect.stringMatching(/latin1\.csv: 1 line holds bytes that are not valid UTF-8 \(first at line 2\)/)]);

    const line = (input: Buffer) =>
      Buffer.concat([
        Buffer.from('{"example_id": "q", "model": "m", "input_text": "'),
        input,
        Buffer.from('", "output_text": "o", "score": 1}\n'),
      ]);
    const jsonl = temp.file('latin1.jsonl', Buffer.concat([line(Buffer.from('fine')), line(LATIN1_E_ACUTE), line(LATIN1_E_ACUTE)]));
    const jsonlWarnings: string[] = [];
    await predictionCollector(readJsonl)(jsonl, { onWarning: (w) => jsonlWarnings.push(w) });
    expect(jsonlWarnings).toEqual([
      expect.stringMatching(/latin1\.jsonl: 2 lines hold bytes that are not valid UTF-8 \(first at line 2\)/),
    ]);
  });
});
