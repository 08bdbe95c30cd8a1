import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutcomes, buildTestRun, exampleIds, type FailureSpec, REASONING_AND_FORMAT_TAXONOMY } from '../../test/support/chart-run.js';
import { startJudgeServer } from '../../test/support/judge-server.js';
import { type CapturedOutput, runCommandInProcess } from '../../test/support/run-command-in-process.js';
import { ConfigError } from '../errors.js';
import type { Prediction } from '../ingest/prediction.js';
import type { ExampleOutcome } from '../store/example-outcomes.js';
import type { RunData } from '../store/run-data.js';
import { runFile } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { registerCompareCommand } from './compare-command.js';
import { registerDiffCommand } from './diff-command.js';
import { exitCodeFor } from './exit.js';
import { registerProfilesCommand } from './profiles-command.js';
import { registerSignaturesCommand } from './signatures-command.js';
import { registerValidateCommand } from './validate-command.js';

/** Writes an in-memory run as a run directory, with every prediction of `outcomes` in the database. */
function writeRunDir(dir: string, run: RunData, outcomes: ExampleOutcome[]): void {
  const store = RunStore.open(dir);
  try {
    const byKey = new Map(run.failures.map((f) => [`${f.dataset}/${f.exampleId}/${f.model}`, f]));
    const predictions: Prediction[] = outcomes.map((o, i) => {
      const f = byKey.get(`${o.dataset}/${o.exampleId}/${o.model}`);
      return (
        f ?? {
          dataset: o.dataset,
          exampleId: o.exampleId,
          model: o.model,
          inputText: `question ${o.exampleId}`,
          outputText: 'fine',
          score: o.failed ? 0 : 1,
          metadata: {},
          source: { file: 't.csv', line: i + 2 },
        }
      );
    });
    store.replacePredictions(predictions);
    store.savePreparation(run.failures, run.population);
    for (const f of run.failures) if (f.analysis) store.putAnalysis(f.analysis);
    store.saveTaxonomy(
      run.taxonomy,
      run.failures.filter((f) => f.path.length > 0).map((f) => ({ failureId: f.id, leafId: f.path[f.path.length - 1], path: f.path })),
    );
  } finally {
    store.close();
  }
  writeFileSync(runFile(dir, 'record'), JSON.stringify(run.record));
  writeFileSync(runFile(dir, 'taxonomy'), JSON.stringify(run.taxonomy));
}

function cli(args: string[]): Promise<CapturedOutput> {
  return runCommandInProcess(
    [registerSignaturesCommand, registerCompareCommand, registerDiffCommand, registerValidateCommand, registerProfilesCommand],
    args,
  );
}

const taxonomy = REASONING_AND_FORMAT_TAXONOMY;
const examples = exampleIds(120);
const fail = (model: string, from: number, to: number, path: string[]): FailureSpec[] =>
  examples.slice(from, to).map((exampleId) => ({ model, exampleId, path, metadata: { subject: from % 2 ? 'law' : 'math' } }));

describe('chart commands on run directories', () => {
  let root = '';
  let first = '';
  let second = '';
  let onlyA = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'errormap-chart-cli-'));
    first = join(root, 'first');
    second = join(root, 'second');
    // The two runs differ only in how many arithmetic failures A has: 30 in the first, 4 in the second.
    const runWithArithmeticFailuresOfA = (n: number) =>
      buildTestRun({
        taxonomy,
        failures: [
          ...fail('A', 0, n, ['reason', 'arith']),
          ...fail('B', 0, 3, ['reason', 'arith']),
          ...fail('A', 60, 66, ['format']),
          ...fail('B', 60, 66, ['format']),
        ],
        predictions: { 'bench/A': 120, 'bench/B': 120 },
      });
    const a = runWithArithmeticFailuresOfA(30);
    writeRunDir(first, a, buildOutcomes(a, ['A', 'B'], examples));
    const b = runWithArithmeticFailuresOfA(4);
    writeRunDir(second, b, buildOutcomes(b, ['A', 'B'], examples));
    // `run --models A`: B's 9 failures are counted, none analysed; A also had 5 provider errors.
    onlyA = join(root, 'only-a');
    const c = buildTestRun({
      taxonomy,
      failures: [...fail('A', 0, 30, ['reason', 'arith']), ...fail('A', 60, 66, ['format'])],
      predictions: { 'bench/A': 120, 'bench/B': 120 },
      totalFailures: { 'bench/B': 9 },
      unanalysable: { 'bench/A': 5 },
    });
    writeRunDir(onlyA, c, buildOutcomes(c, ['A'], examples));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('signatures prints a table per grouping and writes the files', async () => {
    const { stdout } = await cli(['signatures', first, '--by', 'model', '--by', 'meta:subject']);
    expect(stdout).toMatch(/Failure signatures by model, depth 1/);
    expect(stdout).toMatch(/A\s+Reasoning\s+30\/36\s+83\.3%/);
    expect(stdout.includes('\u001b[')).toBe(false);
    expect(existsSync(join(first, 'signatures.csv'))).toBe(true);
    const json = JSON.parse((await cli(['signatures', first, '--depth', '2', '--json'])).stdout);
    expect(json.rows.length).toBeGreaterThan(0);
    expect(json.rows.every((r: { depth: number }) => r.depth === 2)).toBe(true);
  });

  it('signatures --by meta:COLUMN with a column the run lacks is a config error naming the columns it has', async () => {
    const files = join(first, 'signatures.csv');
    const before = existsSync(files) ? readFileSync(files, 'utf8') : undefined;
    const error = await cli(['signatures', first, '--by', 'meta:topic']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as Error).message).toBe('unknown metadata column "topic"; columns in this run: subject');
    // Nothing is written for a grouping that was refused.
    expect(existsSync(files) ? readFileSync(files, 'utf8') : undefined).toBe(before);
  });

  it('compare finds the planted difference with the paired test', async () => {
    const { stdout } = await cli(['compare', first, '--models', 'A', 'B', '--depth', '2']);
    expect(stdout).toMatch(/paired \(exact McNemar\) on 120 shared examples/);
    expect(stdout).toMatch(/Reasoning > Arithmetic.*\*/);
    expect(stdout).toMatch(/Examples A fails and B gets right/);
    const json = JSON.parse((await cli(['compare', first, '--models', 'A', 'B', '--json'])).stdout);
    expect(json.categories.filter((c: { significant: boolean }) => c.significant).map((c: { categoryId: string }) => c.categoryId)).toEqual(
      ['reason'],
    );
  });

  it('compare rejects a wrong number of models', async () => {
    await expect(cli(['compare', first, '--models', 'A'])).rejects.toThrow(/exactly two models/);
  });

  it('diff shows the category that shrank', async () => {
    const { stdout } = await cli(['diff', first, second, '--json']);
    const reason = JSON.parse(stdout).categories.find((c: { key: string }) => c.key === 'reason');
    expect(reason).toMatchObject({ status: 'shrank', significant: true });
    expect((await cli(['diff', first, second])).stdout).toMatch(/Reasoning\s+shrank/);
  });

  it('diff of a run with itself marks no change: every row and the last line say "no significant change"', async () => {
    const { stdout } = await cli(['diff', first, first]);
    const rows = stdout.split('\n').filter((l) => /^(Reasoning|Answer format)/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\S[^\n]*?\s{2}no significant change\s/);
    expect(stdout).not.toMatch(/\b(grew|shrank|appeared|vanished)\b/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      "No significant change between the runs at depth 1: no category's Holm-adjusted p is below 0.05.",
    );
    const json = JSON.parse((await cli(['diff', first, first, '--json'])).stdout);
    expect(json.categories.map((c: { status: string }) => c.status)).toEqual(['no significant change', 'no significant change']);
  });

  it('a --depth the taxonomy does not have is a usage error naming the valid range (exit 2), not empty tables', async () => {
    for (const args of [
      ['signatures', first, '--depth', '5'],
      ['profiles', first, '--depth', '3'],
      ['compare', first, '--models', 'A', 'B', '--depth', '3'],
    ]) {
      const error = await cli(args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(exitCodeFor(error)).toBe(2);
      expect((error as Error).message).toBe(`--depth ${args.at(-1)}: the taxonomy of ${first} has 2 levels; give a depth from 1 to 2`);
    }
    await expect(cli(['diff', first, second, '--depth', '3'])).rejects.toThrow(
      `--depth 3: the deeper taxonomy of ${first} and ${second} has 2 levels; give a depth from 1 to 2`,
    );
  });

  it('validate without a second judge ends with a verdict line saying why there is no verdict', async () => {
    const { stdout } = await cli(['validate', first]);
    expect(stdout.trimEnd().split('\n').at(-3)).toBe(
      'Verdict: NOT CHECKED: only coverage was measured (100.0%); a second judge (--judge provider:model) runs the forced-choice check that gives a verdict.',
    );
  });

  it('signatures, profiles and diff warn about strata left out and failures that could not be analysed', async () => {
    const signatures = await cli(['signatures', onlyA, '--by', 'dataset']);
    expect(signatures.stderr).toMatch(/left out of failure rates .*B on bench \(9 failures\)/);
    expect(signatures.stderr).toMatch(/5 failures could not be analysed/);
    // bench over A's analysed predictions only: 30 of 36 failures are arithmetic, 36 of 115 analysable predictions failed
    expect(signatures.stdout).toMatch(
      new RegExp(`bench\\s+Reasoning\\s+30/36\\s+83\\.3%\\s+\\[[^\\]]+\\]\\s+${((30 / 115) * 100).toFixed(2)}\\s`),
    );
    const profiles = await cli(['profiles', onlyA]);
    expect(profiles.stderr).toMatch(/B on bench/);
    expect(profiles.stdout).toMatch(/bench\s+36\s+31\.3%\s+\[[^\]]+\]\s+5\s/);
    const diff = await cli(['diff', first, onlyA, '--json']);
    expect(diff.stderr).toMatch(/left out: B on bench/);
    // A only: the same 30 arithmetic failures in both runs, B's unanalysed failures not counted as vanished
    const rows = JSON.parse(diff.stdout).categories;
    expect(rows.find((c: { key: string }) => c.key === 'reason')).toMatchObject({
      first: { count: 30 },
      second: { count: 30 },
      significant: false,
    });
    expect(rows.map((c: { status: string }) => c.status)).not.toContain('vanished');
  });

  it('validate reports coverage, judge checks with a verdict, semantic stability and one summary table, and writes validation.json', async () => {
    const server = await startJudgeServer({
      respond: (req) =>
        req.task === 'category_choice'
          ? { json: { reasoning: 'A fits', choice: 'A' } }
          : req.task === 'category_match'
            ? { json: { reasoning: 'same skill', equivalent: /Name: (.*)\n[\s\S]*Name: \1\n/.test(req.user) } }
            : { json: { reasoning: 'matches the output', accurate: true } },
    });
    try {
      const { stdout } = await cli([
        'validate',
        first,
        '--against',
        second,
        '--judge',
        'vllm:checker',
        '--base-url',
        server.baseUrl,
        '--sample',
        '10',
      ]);
      expect(stdout).toMatch(/Coverage: 100\.0% of 45 analysed failures/);
      expect(stdout).toMatch(/Analysis acceptance .* by vllm:checker: 100\.0% \(10\/10/);
      expect(stdout).toMatch(/verdict: (PASS|FAIL|INCONCLUSIVE) at level 50\.0%/);
      expect(stdout).toMatch(/\ncategory precision \(semantic\)\s+100\.0%/);
      const counts = server.countByTask();
      expect(counts.category_choice).toBe(10);
      expect(counts.analysis_check).toBe(10);
      expect(counts.category_match).toBeGreaterThan(0);
      const saved = JSON.parse(readFileSync(join(first, 'validation.json'), 'utf8'));
      expect(saved.categoryChoice.acceptance.n).toBe(10);
      expect(saved.stability.agreement.n).toBe(19);
      expect(saved.summary.map((r: { figure: string }) => r.figure)).toEqual([
        'coverage',
        'forced choice',
        'analysis acceptance',
        'category precision (id/name)',
        'category recall (id/name)',
        'assignment agreement',
        "Cohen's kappa",
        'category precision (semantic)',
        'category recall (semantic)',
      ]);
      for (const row of saved.summary) expect(row.ciLow).toBeLessThanOrEqual(row.value);
      expect(stdout).toMatch(/\nCohen's kappa\s+-?\d\.\d{3}\s+\[-?\d\.\d{3}, -?\d\.\d{3}\]/);
      expect(stdout).toMatch(/\n\nVerdict: (PASS|FAIL|INCONCLUSIVE): .*, level 50\.0%.*\.\n\nWrote /);
    } finally {
      await server.close();
    }
  });
});
