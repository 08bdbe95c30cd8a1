import { isScored, type Prediction } from '../ingest/prediction.js';
import { exampleKey } from './example-groups.js';
import type { Failure, ReferencePool } from './failure.js';
import { compareText, rngFor, seededPick } from './seeded-random.js';

/**
 * A correct output that can be shown to the judge as a reference: score ≥ its dataset's threshold, with text.
 * An unscored prediction is never one: nobody knows whether it is correct.
 */
export function isReference(p: Prediction, thresholds: Readonly<Record<string, number>>): boolean {
  return p.analysable !== false && isScored(p) && p.score >= thresholds[p.dataset];
}

/**
 * Builds the pool of every model's predictions per example; the correct ones (score ≥ threshold,
 * with text to show) are the references.
 */
export function buildReferencePool(predictions: readonly Prediction[], thresholds: Readonly<Record<string, number>>): ReferencePool {
  const byExample = new Map<string, Prediction[]>();
  for (const p of predictions) {
    const key = exampleKey(p);
    const list = byExample.get(key);
    if (list) list.push(p);
    else byExample.set(key, [p]);
  }
  for (const list of byExample.values()) list.sort((a, b) => compareText(a.model, b.model));
  const allFor = (dataset: string, exampleId: string) => [...(byExample.get(exampleKey({ dataset, exampleId })) ?? [])];
  return {
    allFor,
    correctFor: (dataset, exampleId) => allFor(dataset, exampleId).filter((p) => isReference(p, thresholds)),
  };
}

/**
 * Up to `max` correct outputs of other models on the failure's example, in model order.
 * The choice is seeded by the example, not the failure: every failure of one example is shown the
 * same references, so their prompts share one prefix a provider can cache. It does not depend on
 * the order inputs were read; max 0 disables.
 */
export function chooseReferences(pool: ReferencePool, failure: Failure, max = 3, seed = 42): Prediction[] {
  return pickReferences(pool.correctFor(failure.dataset, failure.exampleId), failure, max, seed);
}

/** chooseReferences over the example's correct predictions, already read. */
export function pickReferences(correct: readonly Prediction[], failure: Failure, max = 3, seed = 42): Prediction[] {
  const others = correct.filter((p) => p.model !== failure.model);
  // Stryker disable next-line EqualityOperator,ConditionalExpression: at length = max the pick below takes them all, in model order as given
  if (others.length <= max) return others;
  const chosen = seededPick(others, max, rngFor(seed, 'references', exampleKey(failure)));
  return chosen.sort((a, b) => compareText(a.model, b.model));
}
