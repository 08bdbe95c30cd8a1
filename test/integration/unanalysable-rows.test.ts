/**
 * Per-sample problems in framework files reach the run's counts: read → run database → prepare keeps them
 * apart, never refuses the file. A sample with no usable score is neither a failure nor a correct answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectInputs } from '../../src/ingest/read-inputs.js';
import { prepareStage } from '../../src/pipeline/prepare-stage.js';
import { silentProgress } from '../../src/pipeline/progress.js';
import { prepare } from '../../src/prepare/prepare.js';
import { loadPromptSet } from '../../src/prompts/prompt-set.js';
import { resolveSettings } from '../../src/settings/run-settings.js';
import { RunStore } from '../../src/store/run-store.js';

const FORMATS = join(import.meta.dirname, '../fixtures/formats');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reads `inputs` the way `errormap run` does (through the run database) and prepares them: counts, population, warnings. */
async function readAndPrepare(inputs: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'errormap-unscored-run-'));
  dirs.push(out);
  const settings = resolveSettings({ inputs, out, ratio: 1 });
  const store = RunStore.open(out);
  const warnings: string[] = [];
  try {
    const prepared = await prepareStage({ ...settings.input, runDir: out }, settings, {
      store,
      prompts: loadPromptSet(undefined, []),
      progress: silentProgress,
      warn: (w) => warnings.push(w),
    });
    return { counts: prepared.counts, population: store.population(), warnings };
  } finally {
    store.close();
  }
}

describe('rows that cannot be analysed', () => {
  it.each([
    // fixture, rows read, then per (dataset, model): scored predictions, failures, unscored, threshold; the reasons
    ['lm-eval-python-numbers', 4, [2, 1, 2, 0.35], ['metric "exact_match" is NaN', 'metric "exact_match" is missing']],
    [
      'inspect/unscored_samples.json',
      5,
      [2, 1, 3, 0.35],
      [
        'the sample failed: CancelledError: the sample was cancelled',
        'the sample has no scores (it hit its message limit)',
        'the score of scorer "match" is NaN',
      ],
    ],
    ['promptfoo-ungraded', 3, [2, 1, 1, 0.35], ['success, pass or score is missing']],
    [
      'helm-safety',
      5,
      [2, 1, 3, 0.35],
      [
        '"safety_score" in per_instance_stats.json is NaN',
        '"safety_score" in per_instance_stats.json is missing',
        'request failed: Rate limit exceeded (429)',
      ],
    ],
    [
      'jsonl/python-numbers.jsonl',
      5,
      [1, 0, 4, 0.7],
      [
        'the score is -Infinity, not a finite number',
        'the score is Infinity, not a finite number',
        'the score is NaN',
        'the score is null',
      ],
    ],
  ] as const)(
    '%s: every row is read, the unscored ones are counted apart with their reasons',
    async (fixture, rows, population, reasons) => {
      const run = await readAndPrepare([join(FORMATS, fixture)]);
      const [predictions, failures, unscored, threshold] = population;
      expect(run.population.map((p) => [p.predictions, p.failures, p.unscored, p.threshold])).toEqual([
        [predictions, failures, unscored, threshold],
      ]);
      expect(run.counts).toMatchObject({ predictions: rows, unscored, failures, sampled: failures });
      // One row of each fixture per reason.
      expect(run.counts.unscoredReasons).toEqual(reasons.map((reason) => ({ reason, predictions: 1 })));
    },
  );

  it('warns once, with the counts grouped by reason, and the threshold ignores the unscored rows', async () => {
    const run = await readAndPrepare([join(FORMATS, 'inspect/unscored_samples.json')]);
    expect(run.warnings).toEqual([
      '3 predictions have no score and are left out of thresholds, failures and rates: ' +
        '1 the sample failed: CancelledError: the sample was cancelled, 1 the sample has no scores (it hit its message limit), ' +
        '1 the score of scorer "match" is NaN',
    ]);
    // Scores 1 and 0 and three unscored samples: 0.7 × 1/2, where a score-0 placeholder gave 0.7 × 1/5 = 0.14.
    expect(run.population[0].threshold).toBe(0.35);
  });

  it('adds up the reasons of every input read together', async () => {
    const run = await readAndPrepare(['lm-eval-python-numbers', 'helm-safety', 'jsonl/python-numbers.jsonl'].map((f) => join(FORMATS, f)));
    expect(run.counts).toMatchObject({ predictions: 14, unscored: 9 });
    expect(run.population.map((p) => [p.dataset, p.unscored])).toEqual([
      ['nq_open', 2],
      ['python-numbers', 4],
      ['simple_safety_tests', 3],
    ]);
    expect(run.counts.unscoredReasons?.reduce((n, r) => n + r.predictions, 0)).toBe(9);
  });

  it('are in the population as unscored, never as failures, sampled or not analysable', async () => {
    const { predictions, inputs } = await collectInputs([join(FORMATS, 'inspect/unscored_samples.json')]);
    expect(inputs.map((i) => [i.format, i.rows])).toEqual([['inspect', 5]]);
    const prepared = prepare(predictions, { ratio: 1 });
    expect(prepared.population).toEqual([
      {
        dataset: 'arithmetic_agent',
        model: 'openai/gpt-4o-mini',
        predictions: 2,
        failures: 1,
        sampled: 1,
        threshold: 0.35,
        unanalysable: 0,
        unscored: 3,
      },
    ]);
    expect(prepared.failures.map((f) => f.exampleId)).toEqual(['a2']);
    expect(prepared.unanalysable).toEqual([]);
  });

  it('read an lm-eval folder whose results file holds NaN (it was refused whole as "not valid JSON")', async () => {
    const warnings: string[] = [];
    const { predictions, inputs } = await collectInputs([join(FORMATS, 'lm-eval-python-numbers')], { onWarning: (w) => warnings.push(w) });
    expect(inputs.map((i) => [i.format, i.rows])).toEqual([['lm-eval', 4]]);
    expect(predictions.filter((p) => p.analysable === false).map((p) => p.unanalysableReason)).toEqual([
      'no score: metric "exact_match" is NaN',
      'no score: metric "exact_match" is missing',
    ]);
    expect(warnings).toEqual([]);
  });
});
