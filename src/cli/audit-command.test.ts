import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MadeRun, makeRunDir } from '../../test/support/make-run-dir.js';
import { runCommandInProcess } from '../../test/support/run-command-in-process.js';
import type { AuditStats } from '../audit/audit-stats.js';
import { loadReviews } from '../store/review-queries.js';
import { categoriesFileFor, registerAuditCommand } from './audit-command.js';
import { exitCodeFor } from './exit.js';
import { main } from './main.js';
import { registerSignaturesCommand } from './signatures-command.js';

let tmp: string;
let run: MadeRun;

const cli = (args: string[]) => runCommandInProcess([registerAuditCommand], args);
const readCsv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-audit-'));
  run = makeRunDir(join(tmp, 'run'), { failures: 120, signatures: false });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('errormap audit export / import / stats', () => {
  it('exports the same seeded sample twice, with the judge path and the allowed paths beside it', async () => {
    const out = join(tmp, 'audit.csv');
    await cli(['audit', 'export', run.dir, '--sample', '12', '--out', out]);
    const first = readCsv(out);
    await cli(['audit', 'export', run.dir, '--sample', '12', '--out', join(tmp, 'again.csv')]);
    expect(readCsv(join(tmp, 'again.csv')).map((r) => r.failure_id)).toEqual(first.map((r) => r.failure_id));
    expect(first).toHaveLength(12);
    expect(Object.keys(first[0]).slice(0, 5)).toEqual(['failure_id', 'judge_category', 'human_category', 'analysis_verdict', 'note']);
    const allowed = readFileSync(categoriesFileFor(out), 'utf8').trim().split('\n');
    for (const row of first) {
      expect(row.judge_category).toContain(' > ');
      expect(allowed).toContain(row.judge_category);
      expect(row.human_category).toBe('');
    }
  });

  it('imports a filled-in file, records the reviewer, fills errors.csv, and stats reflect the answers', async () => {
    const out = join(tmp, 'fill.csv');
    await cli(['audit', 'export', run.dir, '--sample', '10', '--out', out]);
    const rows = readCsv(out);
    const other = readFileSync(categoriesFileFor(out), 'utf8').trim().split('\n');
    // 8 agree with the judge, 2 pick a category under another top-level category; 6 accept, 4 reject.
    rows.forEach((r, i) => {
      const elsewhere = other.find((p) => p.split(' > ')[0] !== r.judge_category.split(' > ')[0]) ?? '';
      r.human_category = i < 8 ? r.judge_category : elsewhere;
      r.analysis_verdict = i < 6 ? 'accept' : 'reject';
      r.note = i === 0 ? 'looks right' : '';
    });
    writeFileSync(out, stringify(rows, { header: true }));
    const result = await cli(['audit', 'import', run.dir, out, '--reviewer', 'dana']);
    expect(result.stdout).toContain('Recorded 10 reviews by dana');
    const reviews = loadReviews(run.dir);
    expect(reviews).toHaveLength(10);
    expect(reviews.every((r) => r.reviewer === 'dana' && r.mode === 'import')).toBe(true);

    const errors = readCsv(join(run.dir, 'errors.csv'));
    const reviewed = errors.filter((e) => e.human_category !== '');
    expect(reviewed).toHaveLength(10);
    expect(errors.find((e) => e.failure_id === rows[0].failure_id)?.human_verdict).toBe('accept');

    const stats = JSON.parse((await cli(['audit', 'stats', run.dir, '--json'])).stdout) as AuditStats;
    expect(stats.topLevel.n).toBe(10);
    expect(stats.topLevel.accuracy.value).toBeCloseTo(0.8, 12);
    expect(stats.analysis.accept.value).toBeCloseTo(0.6, 12);
    expect(stats.needed.more).toBe(stats.needed.total - 10);
    const text = (await cli(['audit', 'stats', run.dir])).stdout;
    expect(text).toContain('accuracy 80.0%');
    expect(text).toMatch(/about \d+ more reviews would narrow it to ±5 points/);

    // signatures --human counts the two moved failures under the reviewer's top-level category.
    const signatures = (human: boolean) =>
      runCommandInProcess(
        [registerSignaturesCommand],
        ['signatures', run.dir, '--by', 'dataset', '--json', ...(human ? ['--human'] : [])],
      ).then((o) => JSON.parse(o.stdout) as { rows: { categoryPath: string[]; count: number }[] });
    const countOf = (r: { rows: { categoryPath: string[]; count: number }[] }, top: string) =>
      r.rows.filter((x) => x.categoryPath[0] === top).reduce((a, x) => a + x.count, 0);
    const moved = rows.slice(8).map((r) => r.human_category.split(' > ')[0]);
    const [judged, human] = [await signatures(false), await signatures(true)];
    const target = moved[0];
    const expectedGain =
      moved.filter((m) => m === target).length - rows.slice(8).filter((r) => r.judge_category.startsWith(`${target} > `)).length;
    expect(countOf(human, target) - countOf(judged, target)).toBe(expectedGain);
  });

  it('a planted wrong category exits 2 naming the line, and records nothing', async () => {
    const out = join(tmp, 'bad.csv');
    await cli(['audit', 'export', run.dir, '--sample', '5', '--out', out]);
    const rows = readCsv(out).map((r) => ({
      ...r,
      input_text: 'one line',
      output_text: 'one line',
      correct_answer: '',
      human_category: r.judge_category,
      analysis_verdict: 'accept',
    }));
    rows[3].human_category = 'Reasoning errors > Made-up category';
    writeFileSync(out, stringify(rows, { header: true }));
    const before = loadReviews(run.dir).length;
    const error = await cli(['audit', 'import', run.dir, out, '--reviewer', 'sam']).catch((e: unknown) => e);
    // Header is line 1, so the fourth row is line 5.
    expect(String(error)).toContain(`${out}, line 5, field "human_category"`);
    expect(String(error)).toContain('Made-up category');
    expect(exitCodeFor(error)).toBe(2);
    expect(loadReviews(run.dir)).toHaveLength(before);

    // Through the whole CLI: exit code 2 and one line on stderr naming file, line and field.
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    try {
      expect(await main(['audit', 'import', run.dir, out, '--reviewer', 'sam'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${out}, line 5, field "human_category"`);
  });

  it('an unknown failure id and a bad verdict are named too (JSONL, line numbers count lines)', async () => {
    const out = join(tmp, 'bad.jsonl');
    await cli(['audit', 'export', run.dir, '--sample', '3', '--out', out]);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    const realId = lines[1].failure_id;
    lines[1].failure_id = 'no-such-failure';
    writeFileSync(out, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect(String(await cli(['audit', 'import', run.dir, out, '--reviewer', 'sam']).catch((e: unknown) => e))).toContain(
      'line 2, field "failure_id": "no-such-failure" is not an analysed failure',
    );
    lines[1].failure_id = realId;
    lines[2].analysis_verdict = 'maybe';
    writeFileSync(out, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const error = await cli(['audit', 'import', run.dir, out, '--reviewer', 'sam']).catch((e: unknown) => e);
    expect(String(error)).toContain('line 3, field "analysis_verdict": "maybe" is not one of accept, partly, reject');
    expect(exitCodeFor(error)).toBe(2);
  });
});
