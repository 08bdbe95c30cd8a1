/** Per-sample problems in framework files reach the run's counts: read → prepare keeps them apart, never refuses the file. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectInputs } from '../../src/ingest/read-inputs.js';
import { prepare } from '../../src/prepare/prepare.js';

const FORMATS = join(import.meta.dirname, '../fixtures/formats');

describe('rows that cannot be analysed', () => {
  it('are counted in the population as failures not analysed, and none is sampled', async () => {
    const { predictions, inputs } = await collectInputs([join(FORMATS, 'inspect/unscored_samples.json')]);
    expect(inputs.map((i) => [i.format, i.rows])).toEqual([['inspect', 5]]);
    const prepared = prepare(predictions, { ratio: 1 });
    expect(prepared.population).toEqual([
      {
        dataset: 'arithmetic_agent',
        model: 'openai/gpt-4o-mini',
        predictions: 5,
        failures: 4,
        sampled: 1,
        threshold: 0.14,
        unanalysable: 3,
      },
    ]);
    expect(prepared.failures.map((f) => f.exampleId)).toEqual(['a2']);
    expect(prepared.unanalysable.map((p) => p.exampleId)).toEqual(['a3', 'a4', 'a5']);
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
