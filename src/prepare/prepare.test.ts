import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { Prediction } from '../ingest/prediction.js';
import { collectInputs } from '../ingest/read-inputs.js';
import { failureId } from './failure-id.js';
import { prepare } from './prepare.js';
import { buildReferencePool, chooseReferences } from './reference-pool.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/data');

let line = 1;
function prediction(
  dataset: string,
  exampleId: string,
  model: string,
  score: number | undefined,
  extra: Partial<Prediction> = {},
): Prediction {
  line += 1;
  return {
    dataset,
    exampleId,
    model,
    inputText: `question ${exampleId}`,
    outputText: `${model} answer`,
    score,
    metadata: {},
    source: { file: `${dataset}.csv`, line },
    ...extra,
  };
}

/** `n` examples where model m fails the first `fails[m]` examples and answers the rest correctly. */
function grid(dataset: string, n: number, fails: Record<string, number>): Prediction[] {
  const out: Prediction[] = [];
  for (const [model, count] of Object.entries(fails)) {
    for (let i = 0; i < n; i += 1) out.push(prediction(dataset, `e${String(i).padStart(3, '0')}`, model, i < count ? 0 : 1));
  }
  return out;
}

describe('prepare', () => {
  it('uses round(0.7 × mean, 2) as the default threshold on real data', async () => {
    const file = join(EXAMPLES, 'mmlu_pro.csv');
    const rows = parse(readFileSync(file), { columns: true, bom: true }) as { score: string }[];
    const mean = rows.reduce((sum, r) => sum + Number(r.score), 0) / rows.length;
    const { predictions } = await collectInputs([file]);
    const run = prepare(predictions);
    expect(run.thresholds.mmlu_pro).toBe(Math.round(0.7 * mean * 100) / 100);
    const wrong = predictions.filter((p) => p.score === 0).length;
    expect(run.population.reduce((sum, s) => sum + s.failures, 0)).toBe(wrong);
  });

  it('samples ceil(ratio × failures) from every (model, dataset) stratum with failures', () => {
    const predictions = [...grid('d1', 60, { a: 30, b: 11, c: 0 }), ...grid('d2', 20, { a: 1, b: 20, c: 5 })];
    const run = prepare(predictions, { ratio: 0.1, thresholds: { d1: 0.5, d2: 0.5 } });
    const counts: Record<string, number> = {};
    for (const f of run.failures) counts[`${f.model}/${f.dataset}`] = (counts[`${f.model}/${f.dataset}`] ?? 0) + 1;
    expect(counts).toEqual({ 'a/d1': 3, 'b/d1': 2, 'a/d2': 1, 'b/d2': 2, 'c/d2': 1 });
    const sampledStat = Object.fromEntries(run.population.map((s) => [`${s.model}/${s.dataset}`, s.sampled]));
    expect(sampledStat).toMatchObject({ ...counts, 'c/d1': 0 });
    for (const f of run.failures) {
      expect(f.score).toBeLessThan(f.threshold);
      expect(f.id).toBe(failureId(f));
    }
  });

  it('is deterministic for a seed, independent of input order, and changes with the seed', () => {
    const predictions = grid('d', 80, { a: 60, b: 50 });
    const ids = (run: ReturnType<typeof prepare>) => run.failures.map((f) => f.id);
    const first = prepare(predictions, { seed: 42 });
    expect(ids(prepare([...predictions].reverse(), { seed: 42 }))).toEqual(ids(first));
    expect(ids(prepare(predictions, { seed: 43 }))).not.toEqual(ids(first));
  });

  it('--models limits the sampled failures but keeps every model’s correct outputs as references', () => {
    const predictions = grid('d', 10, { a: 10, b: 3, c: 0 });
    const run = prepare(predictions, { models: ['a'], ratio: 1, thresholds: { d: 0.5 } });
    expect(new Set(run.failures.map((f) => f.model))).toEqual(new Set(['a']));
    expect(run.failures).toHaveLength(10);
    const onLateExample = run.failures.find((f) => f.exampleId === 'e005');
    if (!onLateExample) throw new Error('expected a sampled failure on e005');
    const refs = chooseReferences(buildReferencePool(predictions, run.thresholds), onLateExample, 3, 42);
    expect(refs.map((r) => r.model)).toEqual(['b', 'c']);
    expect(run.population.find((s) => s.model === 'b')).toMatchObject({ failures: 3, sampled: 0 });
  });

  it('counts unanalysable failures in the population but never samples them', () => {
    const predictions = [
      ...grid('d', 4, { a: 2 }),
      prediction('d', 'x1', 'a', 0, { analysable: false, unanalysableReason: 'log-likelihood only' }),
      prediction('d', 'x2', 'a', 1, { analysable: false }),
    ];
    const run = prepare(predictions, { ratio: 1, thresholds: { d: 0.5 } });
    expect(run.failures.map((f) => f.exampleId)).toEqual(['e000', 'e001']);
    expect(run.unanalysable.map((p) => p.exampleId)).toEqual(['x1']);
    expect(run.population).toEqual([
      { dataset: 'd', model: 'a', predictions: 6, failures: 3, sampled: 2, threshold: 0.5, unanalysable: 1, unscored: 0 },
    ]);
  });

  it('keeps a model and a dataset apart even when their names run together', () => {
    const run = prepare(
      [prediction('c', 'e1', 'ab', 0), prediction('bc', 'e1', 'a', 0), prediction('c', 'e1', 'x', 1), prediction('bc', 'e1', 'x', 1)],
      {
        ratio: 1,
      },
    );
    expect(run.failures.map((f) => [f.dataset, f.model])).toEqual([
      ['bc', 'a'],
      ['c', 'ab'],
    ]);
    expect(run.population.filter((p) => p.failures > 0).map((p) => [p.dataset, p.model, p.failures, p.sampled])).toEqual([
      ['bc', 'a', 1, 1],
      ['c', 'ab', 1, 1],
    ]);
  });

  it('applies maxErrors as a total cap', () => {
    const run = prepare(grid('d', 100, { a: 90, b: 60, c: 30 }), { ratio: 0.5, maxErrors: 20 });
    expect(run.failures).toHaveLength(20);
    expect(new Set(run.failures.map((f) => f.model))).toEqual(new Set(['a', 'b', 'c']));
    expect(run.emptyStrata).toEqual([]);
  });

  it('names the strata a tight maxErrors leaves with no sampled failure', () => {
    // 3 of 93 sampled failures: the largest strata take them, c (3 failures) gets none
    const run = prepare(grid('d', 100, { a: 60, b: 30, c: 3 }), { ratio: 1, maxErrors: 3 });
    expect(run.failures).toHaveLength(3);
    expect(run.emptyStrata).toEqual([{ model: 'c', dataset: 'd', failures: 3 }]);
  });

  it('uses explicit thresholds, and lists overrides for datasets not in the inputs', () => {
    const run = prepare(grid('d', 10, { a: 4 }), { thresholds: { d: 2, typo: 1 } });
    expect(run.thresholds).toEqual({ d: 2 });
    expect(run.population[0].failures).toBe(10);
    expect(run.unusedThresholds).toEqual(['typo']);
  });

  it('counts a score exactly at the threshold as a success: a failure is score < threshold', () => {
    const predictions = [prediction('d', 'at', 'a', 0.5), prediction('d', 'below', 'a', 0.49), prediction('d', 'above', 'a', 0.51)];
    const run = prepare(predictions, { ratio: 1, thresholds: { d: 0.5 } });
    expect(run.failures.map((f) => f.exampleId)).toEqual(['below']);
    expect(run.population).toEqual([
      { dataset: 'd', model: 'a', predictions: 3, failures: 1, sampled: 1, threshold: 0.5, unanalysable: 0, unscored: 0 },
    ]);
  });

  it('rejects an unknown model, a bad ratio, seed or cap as configuration errors that say what was given', () => {
    const predictions = [...grid('d', 3, { b: 1 }), ...grid('d', 3, { a: 1 })];
    const refused = (settings: Parameters<typeof prepare>[1], message: string) =>
      expect(() => prepare(predictions, settings)).toThrow(new ConfigError(message));
    refused({ models: ['zz', 'a', 'yy'] }, 'unknown model(s) "zz", "yy"; models in the inputs: a, b');
    refused({ ratio: 0 }, 'sample ratio must be in (0, 1], got 0');
    refused({ ratio: 1.5 }, 'sample ratio must be in (0, 1], got 1.5');
    refused({ seed: 1.5 }, 'seed must be an integer, got 1.5');
    refused({ maxErrors: -1 }, 'max errors must be a whole number ≥ 0, got -1');
    refused({ maxErrors: 2.5 }, 'max errors must be a whole number ≥ 0, got 2.5');
    expect(prepare(predictions, { maxErrors: 0 }).failures).toEqual([]);
    expect(prepare(predictions, { ratio: 1 }).failures).toHaveLength(2);
  });

  it('lists failures, unanalysable ones, population and unused overrides in a fixed order, whatever the input order', () => {
    const predictions = [
      prediction('d2', 'x', 'b', 0),
      prediction('d1', 'y', 'b', 0),
      prediction('d1', 'x', 'b', 0),
      prediction('d1', 'x', 'a', 0),
      prediction('d1', 'z', 'a', 0, { analysable: false }),
      prediction('d1', 'w', 'a', 0, { analysable: false }),
      prediction('d2', 'v', 'a', 0, { analysable: false }),
      prediction('d1', 'ok', 'a', 1),
    ];
    const run = prepare(predictions, { ratio: 1, thresholds: { d1: 0.5, d2: 0.5, zz: 1, aa: 1 } });
    const keys = (list: readonly { dataset: string; model: string; exampleId: string }[]) =>
      list.map((p) => `${p.dataset}/${p.model}/${p.exampleId}`);
    expect(keys(run.failures)).toEqual(['d1/a/x', 'd1/b/x', 'd1/b/y', 'd2/b/x']);
    expect(keys(run.unanalysable)).toEqual(['d1/a/w', 'd1/a/z', 'd2/a/v']);
    expect(run.population.map((s) => `${s.dataset}/${s.model}`)).toEqual(['d1/a', 'd1/b', 'd2/a', 'd2/b']);
    expect(run.unusedThresholds).toEqual(['aa', 'zz']);
  });
});

describe('predictions with no score', () => {
  /** A prediction whose file gave no usable score, as the readers keep it (withoutScore). */
  const unscored = (exampleId: string, model: string, reason: string) =>
    prediction('d', exampleId, model, undefined, { analysable: false, unanalysableReason: `no score: ${reason}` });
  // Scores 1, 1, 0 and two rows without a score: the mean is 2/3, not 2/5.
  const predictions = [
    prediction('d', 'e1', 'a', 1),
    prediction('d', 'e2', 'a', 1),
    prediction('d', 'e3', 'a', 0),
    unscored('e4', 'a', 'metric "acc" is NaN'),
    unscored('e5', 'a', 'metric "acc" is NaN'),
  ];

  it('leave the default threshold to the scored ones: 0.7 × 2/3 = 0.47, not 0.7 × 2/5 = 0.28', () => {
    expect(prepare(predictions).thresholds).toEqual({ d: 0.47 });
  });

  it('are no failure and no prediction of the rate, but counted apart with their reason', () => {
    // Even a threshold above every score leaves them out: nobody knows whether they failed.
    const run = prepare(predictions, { ratio: 1, thresholds: { d: 2 } });
    expect(run.failures.map((f) => f.exampleId)).toEqual(['e1', 'e2', 'e3']);
    expect(run.unanalysable).toEqual([]);
    expect(run.population).toEqual([
      { dataset: 'd', model: 'a', predictions: 3, failures: 3, sampled: 3, threshold: 2, unanalysable: 0, unscored: 2 },
    ]);
    expect(run.unscored).toEqual([{ dataset: 'd', model: 'a', reason: 'metric "acc" is NaN', predictions: 2 }]);
  });

  it('are counted per (dataset, model, reason), the most frequent reason first', () => {
    const run = prepare([
      ...predictions,
      prediction('d', 'e1', 'b', 1),
      unscored('e2', 'b', 'metric "acc" is missing'),
      prediction('d', 'e3', 'b', undefined, { analysable: false, unanalysableReason: 'the sample failed: cancelled' }),
      unscored('e4', 'b', 'metric "acc" is missing'),
    ]);
    expect(run.unscored).toEqual([
      { dataset: 'd', model: 'a', reason: 'metric "acc" is NaN', predictions: 2 },
      { dataset: 'd', model: 'b', reason: 'metric "acc" is missing', predictions: 2 },
      { dataset: 'd', model: 'b', reason: 'the sample failed: cancelled', predictions: 1 },
    ]);
    expect(run.population.map((p) => [p.model, p.predictions, p.failures, p.unscored])).toEqual([
      ['a', 3, 1, 2],
      ['b', 1, 0, 3],
    ]);
  });

  it('leave a dataset with no score at all a threshold of 0, with nothing failed', () => {
    const run = prepare([unscored('e1', 'a', 'metric "acc" is NaN'), prediction('other', 'e1', 'a', 1)]);
    expect(run.thresholds).toEqual({ d: 0, other: 0.7 });
    expect(run.population.map((p) => [p.dataset, p.predictions, p.failures, p.unscored])).toEqual([
      ['d', 0, 0, 1],
      ['other', 1, 0, 0],
    ]);
  });

  it('are never a reference, although they have text', () => {
    const pool = buildReferencePool([prediction('d', 'e1', 'a', 0), prediction('d', 'e1', 'b', undefined), prediction('d', 'e1', 'c', 1)], {
      d: 0.5,
    });
    expect(pool.correctFor('d', 'e1').map((p) => p.model)).toEqual(['c']);
  });
});
