import { describe, expect, it } from 'vitest';
import type { Prediction } from '../ingest/prediction.js';
import type { FailureRef } from '../prepare/failure.js';
import { failureId } from '../prepare/failure-id.js';
import { buildReferencePool } from '../prepare/reference-pool.js';
import { resolveSettings } from '../settings/run-settings.js';
import { planFailures } from './analysis-plan.js';

function p(exampleId: string, model: string, score: number): Prediction {
  return {
    dataset: 'd',
    exampleId,
    model,
    inputText: `question ${exampleId}`,
    outputText: `${model} on ${exampleId}`,
    score,
    metadata: {},
    source: { file: 'd.csv', line: 2 },
  };
}

const predictions = [
  ...['m0', 'm1', 'm2', 'm3', 'm4', 'm5'].map((m, i) => p('e1', m, i < 2 ? 0 : 1)),
  ...['m0', 'm1', 'm2'].map((m, i) => p('e2', m, i === 0 ? 0 : 1)),
];
const ref = (q: Prediction): FailureRef => ({
  id: failureId(q),
  dataset: q.dataset,
  exampleId: q.exampleId,
  model: q.model,
  threshold: 0.5,
});

describe('planFailures', () => {
  const pool = buildReferencePool(predictions, { d: 0.5 });
  const context = { pool, thresholds: { d: 0.5 } };
  const settings = resolveSettings({ inputs: [], out: 'unused', maxReferences: 3, precheck: 'hint', seed: 42 });

  it('sends the failures of one example together, with their texts and the same references', () => {
    // Saved order interleaves the examples; the plans come one example after another.
    const refs = [predictions[0], predictions[6], predictions[1]].map(ref);
    const planned = [...planFailures(refs, context, settings)].map(({ plan }) => plan);
    expect(planned.map((x) => `${x.failure.exampleId}/${x.failure.model}`)).toEqual(['e1/m0', 'e1/m1', 'e2/m0']);
    expect(planned[1].failure.outputText).toBe('m1 on e1');
    expect(planned[0].references.map((r) => r.model)).toEqual(planned[1].references.map((r) => r.model));
    expect(planned[0].references).toHaveLength(3);
    expect(planned[2].references.map((r) => r.model)).toEqual(['m1', 'm2']);
  });

  it('plans nothing ahead: each failure is detected and planned when the next one is asked for', () => {
    const reads: string[] = [];
    const counting = {
      ...pool,
      allFor: (d: string, e: string) => {
        reads.push(e);
        return pool.allFor(d, e);
      },
    };
    const plans = planFailures([predictions[0], predictions[6]].map(ref), { ...context, pool: counting }, settings);
    expect(reads).toEqual([]);
    plans.next();
    expect(reads).toEqual(['e1']);
  });
});
