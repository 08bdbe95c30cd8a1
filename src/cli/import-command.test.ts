import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { runCommandInProcess } from '../../test/support/run-command-in-process.js';
import { ConfigError, InputError } from '../errors.js';
import { readCsv } from '../ingest/csv-reader.js';
import { readJsonl } from '../ingest/jsonl-reader.js';
import type { Prediction } from '../ingest/prediction.js';
import { collectInputs } from '../ingest/read-inputs.js';
import { registerImportCommand } from './import-command.js';

const FORMATS = join(import.meta.dirname, '../../test/fixtures/formats');

async function cli(args: string[]): Promise<string> {
  return (await runCommandInProcess([registerImportCommand], args)).stdout;
}

const temp = tempDirsRemovedAfterEach('import-');

/** What a reference-layout file can carry: the extra fields travel as columns, absent cells read back empty. */
function comparable(p: Prediction) {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata)) if (v !== '') metadata[k] = v;
  if (p.analysable === false) metadata.analysable = 'false';
  if (p.unanalysableReason) metadata.unanalysable_reason = p.unanalysableReason;
  if (p.graderNote) metadata.grader_note = p.graderNote;
  return {
    ...p,
    source: undefined,
    analysable: undefined,
    unanalysableReason: undefined,
    graderNote: undefined,
    correctAnswer: p.correctAnswer || undefined,
    metadata,
  };
}

async function readBack(read: typeof readCsv, file: string): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for await (const p of read(file, {})) out.push(p);
  return out;
}

describe('errormap import', () => {
  it('round-trips every fixture format through CSV and JSONL: reading the file back gives the same predictions', async () => {
    const { predictions } = await collectInputs([FORMATS]);
    const dir = temp.dir();
    for (const [name, read] of [
      ['all.csv', readCsv],
      ['all.jsonl', readJsonl],
    ] as const) {
      const out = join(dir, name);
      await cli(['import', FORMATS, '--out', out]);
      const back = await readBack(read, out);
      expect(back.map(comparable)).toEqual(predictions.map(comparable));
    }
    expect(readdirSync(dir).sort()).toEqual(['all.csv', 'all.jsonl']);
  });

  it('writes the reference columns first and reports rows that are not analysable, by reason', async () => {
    const out = join(temp.dir(), 'pf.csv');
    const printed = await cli(['import', join(FORMATS, 'promptfoo'), '--out', out]);
    expect(printed).toBe(
      [
        `wrote 10 rows to ${out}`,
        '3 not analysable (column analysable=false; they are not model errors):',
        '  2 × provider error: Request timed out after 30000 ms',
        '  1 × provider error: API error: 529 Overloaded',
        '',
      ].join('\n'),
    );
    const header = readFileSync(out, 'utf8').split('\n')[0].split(',');
    expect(header.slice(0, 7)).toEqual(['dataset', 'example_id', 'model', 'input_text', 'output_text', 'score', 'correct_answer']);
    expect(header.slice(-4)).toEqual(['analysable', 'unanalysable_reason', 'grader_note', 'finish_reason']);
  });

  it('passes --metric, --filter and --dataset to the readers', async () => {
    const out = join(temp.dir(), 'gsm.jsonl');
    const samples = join(FORMATS, 'lm-eval/EleutherAI__pythia-160m/samples_gsm8k_2024-05-01T12-00-00.123456.jsonl');
    await cli(['import', samples, '--out', out, '--filter', 'flexible-extract', '--dataset', 'gsm']);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.dataset, r.score, r.lm_eval_filter])).toEqual([
      ['gsm', 1, 'flexible-extract'],
      ['gsm', 1, 'flexible-extract'],
    ]);
  });

  it('rejects a bad --out before reading, and leaves no partial file when an input is bad', async () => {
    await expect(cli(['import', FORMATS, '--out', 'x.txt'])).rejects.toBeInstanceOf(ConfigError);
    const dir = temp.dir();
    await expect(cli(['import', join(FORMATS, 'inspect'), '--out', join(dir, 'o.csv'), '--metric', 'nope'])).rejects.toBeInstanceOf(
      InputError,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('errormap import of its own output', () => {
  it('keeps analysable, reason and grader note when a written file is imported again', async () => {
    const dir = temp.dir();
    const first = join(dir, 'first.csv');
    const second = join(dir, 'second.jsonl');
    await cli(['import', join(FORMATS, 'promptfoo'), '--out', first]);
    const printed = await cli(['import', first, '--out', second]);
    expect(printed).toContain('wrote 10 rows');
    const rows = readFileSync(second, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.analysable === 'false')).toHaveLength(3);
    expect(rows[1].grader_note).toBe('Expected output to contain "Canberra"');
  });
});
