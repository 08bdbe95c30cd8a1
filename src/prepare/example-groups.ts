import type { Failure } from './failure.js';

/**
 * Failures grouped by example, examples in the order of their first failure. The analysis sends one
 * example's failures together (a provider still holds their shared prompt prefix in its cache); the
 * report lays each example out once with every model's output on it.
 */
export function groupByExample<F extends Pick<Failure, 'dataset' | 'exampleId'>>(failures: readonly F[]): F[][] {
  // Keyed by dataset, then example id: a key string built per failure cost several times more at 100,000.
  const byDataset = new Map<string, Map<string, F[]>>();
  const groups: F[][] = [];
  for (const f of failures) {
    let examples = byDataset.get(f.dataset);
    if (!examples) {
      examples = new Map();
      byDataset.set(f.dataset, examples);
    }
    const group = examples.get(f.exampleId);
    if (group) group.push(f);
    else {
      const started = [f];
      examples.set(f.exampleId, started);
      groups.push(started);
    }
  }
  return groups;
}

/** One key per example: its dataset and id. */
export function exampleKey(f: Pick<Failure, 'dataset' | 'exampleId'>): string {
  return `${f.dataset}\u0000${f.exampleId}`;
}
