import { NO_ERROR_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { normaliseName } from '../taxonomy/node-id.js';
import { type Rate, rateOf } from './rate.js';
import { placedFailures, stratumKey } from './weighted-shares.js';

type ChartRun = Pick<RunData, 'taxonomy' | 'failures' | 'population'>;

/** An analysis where the judge found no error: a benchmark-noise candidate, not a failure of the model. */
export function isNoError(f: Pick<FailureView, 'analysis'>): boolean {
  return f.analysis?.hasError === false;
}

const isNoErrorNode = (n: TaxonomyNode) => normaliseName(n.name) === normaliseName(NO_ERROR_NAME);

/**
 * The run as the method sees its failures: analyses that found no error leave the shares, the tests and
 * the corrections. They become unplaced, the "No error found" category goes, and each stratum's failure
 * count shrinks by the share of its placed failures that had no error, so a failure rate (and with it
 * every incidence) counts the model's own errors only while each placed failure keeps its sampling weight.
 */
export function withoutNoError(run: ChartRun): ChartRun {
  const placedAll = new Map<string, number>();
  const placedNoError = new Map<string, number>();
  for (const f of placedFailures(run.failures)) {
    const key = stratumKey(f.dataset, f.model);
    placedAll.set(key, (placedAll.get(key) ?? 0) + 1);
    if (isNoError(f)) placedNoError.set(key, (placedNoError.get(key) ?? 0) + 1);
  }
  const population = run.population.map((p): PopulationStats => {
    const key = stratumKey(p.dataset, p.model);
    const all = placedAll.get(key) ?? 0;
    const noError = placedNoError.get(key) ?? 0;
    if (all === 0 || noError === 0) return p;
    const analysable = p.failures - p.unanalysable;
    return { ...p, failures: p.unanalysable + (analysable * (all - noError)) / all };
  });
  return {
    taxonomy: { ...run.taxonomy, children: run.taxonomy.children.filter((c) => !isNoErrorNode(c)) },
    failures: run.failures.map((f) => (isNoError(f) ? { ...f, path: [] } : f)),
    population,
  };
}

/** The run for a chart: without no-error analyses unless the user asked to keep them. */
export function chartRun(run: ChartRun, includeNoError: boolean | undefined): ChartRun {
  return includeNoError ? run : withoutNoError(run);
}

/** One group's analyses that found no error: how many of its analysed failures, with a 95% Wilson interval. */
export interface NoErrorLine extends Rate {
  group: string;
}

/** Per group (sorted), the analysed failures where the judge found no error, out of all its analysed failures. */
export function noErrorLines(failures: readonly FailureView[], groupOf: (f: FailureView) => string | undefined): NoErrorLine[] {
  const counts = new Map<string, { hits: number; n: number }>();
  for (const f of failures) {
    if (f.analysis === undefined) continue;
    const group = groupOf(f);
    if (group === undefined || group === '') continue;
    const c = counts.get(group) ?? { hits: 0, n: 0 };
    c.n++;
    if (isNoError(f)) c.hits++;
    counts.set(group, c);
  }
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([group, c]) => ({ group, ...rateOf(c.hits, c.n) }));
}
