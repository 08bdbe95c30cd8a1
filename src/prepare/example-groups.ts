import type { Failure } from './failure.js';

/**
 * Failures grouped by example, examples in the order of their first failure. The analysis sends one
 * example's failures together (a provider still holds their shared prompt prefix in its cache); the
 * report lays each example out once with every model's output on it.
 */
export function groupByExample<F extends Pick<Failure, 'dataset' | 'exampleId'>>(failures: readonly F[]): F[][] {
  const groups = new Map<string, F[]>();
  for (const f of failures) {
    const key = exampleKey(f);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}

/** One key per example: its dataset and id. */
export function exampleKey(f: Pick<Failure, 'dataset' | 'exampleId'>): string {
  return `${f.dataset}\u0000${f.exampleId}`;
}
