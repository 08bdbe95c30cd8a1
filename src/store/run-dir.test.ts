import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUN_FORMAT_VERSION, type RunRecord } from '../contracts/run-record.js';
import { ErrormapError } from '../errors.js';
import {
  RUN_FILES,
  readFinishedRecord,
  readRecord,
  readRunJson,
  runFile,
  writeFileAtomic,
  writeRecord,
  writeStreamAtomic,
} from './run-dir.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'errormap-run-dir-'));

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: RUN_FORMAT_VERSION,
    status: 'finished',
    tool: { name: 'errormap', version: '0.1.0' },
    startedAt: '2026-01-01T00:00:00.000Z',
    settings: {},
    judge: 'offline',
    offline: true,
    inputs: [],
    counts: { predictions: 4, failures: 2, sampled: 2, analysed: 2, noError: 0, analysisFailed: 0, categories: 1 },
    usage: {},
    promptVersions: {},
    ...overrides,
  };
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(ErrormapError.isInstance(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, 'new');
    await writeStreamAtomic(join(dir, 'b.csv'), async (out) => {
      out.write('x,y\n');
      out.end('1,2\n');
    });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.csv']);
  });

  it('keeps the previous content when the write fails, and cleans up its temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'errors.csv');
    writeFileAtomic(file, 'complete');
    await expect(
      writeStreamAtomic(file, async (out) => {
        out.write('half');
        throw new Error('killed mid-write');
      }),
    ).rejects.toThrow('killed mid-write');
    expect(readFileSync(file, 'utf8')).toBe('complete');
    expect(readdirSync(dir)).toEqual(['errors.csv']);
  });

  it('gives concurrent writers of one file distinct temporary names (no shared .tmp)', async () => {
    const dir = tempDir();
    const file = join(dir, 'signatures.json');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writeStreamAtomic(file, async (out) => {
          out.end(`writer ${i}\n`.repeat(1000));
        }),
      ),
    );
    expect(readFileSync(file, 'utf8')).toMatch(/^(writer \d+\n)+$/);
    expect(readdirSync(dir)).toEqual(['signatures.json']);
  });
});

describe('run.json through the checked reader', () => {
  it('reads back what was written', () => {
    const dir = tempDir();
    writeRecord(dir, record());
    expect(readFinishedRecord(dir)).toEqual(record());
  });

  it('names a missing or empty file instead of failing with a parser error', () => {
    const dir = tempDir();
    expect(messageOf(() => readRecord(dir))).toMatch(/run\.json: missing/);
    writeFileSync(runFile(dir, 'signaturesJson'), '');
    expect(messageOf(() => readRunJson(dir, 'signaturesJson'))).toMatch(/signatures\.json: empty/);
    writeFileSync(runFile(dir, 'record'), '{"formatVersion": 1,');
    expect(messageOf(() => readRecord(dir))).toMatch(/run\.json: cannot be read as JSON/);
  });

  it('names the field of a record that does not fit the schema', () => {
    const dir = tempDir();
    writeFileSync(runFile(dir, 'record'), JSON.stringify({ ...record(), counts: { predictions: 'many' } }));
    expect(messageOf(() => readRecord(dir))).toMatch(/run\.json: field "counts\.predictions"/);
  });

  it('refuses a newer format and a run that did not finish, saying why', () => {
    const dir = tempDir();
    writeRecord(dir, record({ formatVersion: RUN_FORMAT_VERSION + 1 }));
    expect(messageOf(() => readRecord(dir))).toMatch(/newer errormap/);
    writeRecord(dir, record({ status: 'failed', error: 'the judge said no' }));
    expect(messageOf(() => readFinishedRecord(dir))).toMatch(/did not finish \(status "failed" \(the judge said no\)\)/);
  });

  it('accepts a record written before the optional collections existed, and keeps fields it does not know', () => {
    const dir = tempDir();
    const { usage: _u, promptVersions: _p, inputs: _i, settings: _s, ...old } = record();
    writeFileSync(runFile(dir, 'record'), JSON.stringify({ ...old, addedLater: 7 }));
    const read = readRecord(dir);
    expect(read.usage).toEqual({});
    expect(read.promptVersions).toEqual({});
    expect((read as Record<string, unknown>).addedLater).toBe(7);
  });

  it('reads an older record whose tasks all say costUsd: 0, and a newer one whose unpriced tasks leave it out', () => {
    const dir = tempDir();
    const task = { calls: 3, cachedCalls: 0, failedCalls: 0, inputTokens: 300, outputTokens: 30 };
    writeFileSync(runFile(dir, 'record'), JSON.stringify({ ...record(), usage: { error_analysis: { ...task, costUsd: 0 } } }));
    expect(readRecord(dir).usage.error_analysis).toEqual({ ...task, retries: 0, costUsd: 0 });
    writeFileSync(runFile(dir, 'record'), JSON.stringify({ ...record(), usage: { error_analysis: task } }));
    expect(readRecord(dir).usage.error_analysis).toEqual({ ...task, retries: 0 });
  });
});

describe('the run directory contract', () => {
  it('spells each run-directory file name in no source file but run-dir.ts', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const sources = (readdirSync(src, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== join('store', 'run-dir.ts'),
    );
    const spelled = sources.flatMap((f) => {
      const text = readFileSync(join(src, f), 'utf8');
      return Object.values(RUN_FILES)
        .filter((name) => new RegExp(`(?<![\\w-])${name.replace('.', '\\.')}`).test(text))
        .map((name) => `${f}: ${name}`);
    });
    expect(spelled).toEqual([]);
  });
});
