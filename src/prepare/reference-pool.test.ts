import { describe, expect, it } from 'vitest';
import type { Prediction } from '../ingest/prediction.js';
import { asFailure } from './failure.js';
import { failureId } from './failure-id.js';
import { buildReferencePool, chooseReferences, pickReferences } from './reference-pool.js';

function p(exampleId: string, model: string, score: number, extra: Partial<Prediction> = {}): Prediction {
  return {
    dataset: 'd',
    exampleId,
    model,
    inputText: 'q',
    outputText: model,
    score,
    metadata: {},
    source: { file: 'd.csv', line: 2 },
    ...extra,
  };
}

const models = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
const predictions = [...models.map((m) => p('e1', m, m === 'm0' ? 0 : 1)), p('e1', 'm8', 1, { analysable: false }), p('e2', 'm1', 1)];
const failure = asFailure(predictions[0], failureId(predictions[0]), 0.5);

describe('reference pool', () => {
  it('holds correct outputs with text per example, and every prediction for allFor', () => {
    const pool = buildReferencePool(predictions, { d: 0.5 });
    expect(pool.correctFor('d', 'e1').map((r) => r.model)).toEqual(models.slice(1));
    expect(pool.allFor('d', 'e1')).toHaveLength(9);
    expect(pool.correctFor('d', 'missing')).toEqual([]);
    expect(pool.allFor('d', 'missing')).toEqual([]);
  });

  it('counts a score exactly at the threshold as correct, so it can serve as a reference', () => {
    const pool = buildReferencePool([p('e9', 'at', 0.5), p('e9', 'below', 0.49)], { d: 0.5 });
    expect(pool.correctFor('d', 'e9').map((r) => r.model)).toEqual(['at']);
  });

  it('chooses up to max other models, deterministically and independent of input order', () => {
    const pool = buildReferencePool(predictions, { d: 0.5 });
    const chosen = chooseReferences(pool, failure, 3, 42);
    expect(chosen).toHaveLength(3);
    expect(chosen.some((r) => r.model === 'm0')).toBe(false);
    // shown in model order, whatever order the draw gave
    expect(chosen.map((r) => r.model)).toEqual(chosen.map((r) => r.model).sort());
    const shuffled = buildReferencePool([...predictions].reverse(), { d: 0.5 });
    expect(chooseReferences(shuffled, failure, 3, 42)).toEqual(chosen);
    const seeds = new Set(
      Array.from({ length: 20 }, (_, s) =>
        chooseReferences(pool, failure, 3, s)
          .map((r) => r.model)
          .join(),
      ),
    );
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('shows every failure of one example the same references, so their prompts share a prefix', () => {
    const shared = [...models.map((m) => p('e3', m, m === 'm0' || m === 'm1' ? 0 : 1))];
    const pool = buildReferencePool(shared, { d: 0.5 });
    const [first, second] = [shared[0], shared[1]].map((f) => asFailure(f, failureId(f), 0.5));
    const chosen = chooseReferences(pool, first, 3, 42);
    expect(chosen).toHaveLength(3);
    expect(chooseReferences(pool, second, 3, 42)).toEqual(chosen);
  });

  it('never shows a failure its own model’s output', () => {
    const own = p('e1', 'm0', 1);
    expect(pickReferences([own, p('e1', 'm1', 1)], failure, 3).map((r) => r.model)).toEqual(['m1']);
  });

  it('returns all when fewer than max, and none when max is 0', () => {
    const pool = buildReferencePool(predictions, { d: 0.5 });
    expect(chooseReferences(pool, failure, 10).map((r) => r.model)).toEqual(models.slice(1));
    expect(chooseReferences(pool, failure, 7).map((r) => r.model)).toEqual(models.slice(1));
    expect(chooseReferences(pool, failure, 0)).toEqual([]);
    expect(chooseReferences(pool, failure, -1)).toEqual([]);
  });
});
