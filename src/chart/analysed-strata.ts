import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView } from '../store/run-data.js';
import { analysableFailures, stratumKey } from './weighted-shares.js';

/** Population strata split by whether their failures were analysed. */
export interface StrataSplit {
  /** Strata that failed nothing, or at least one of whose failures was placed in the taxonomy. */
  analysed: PopulationStats[];
  /** Strata with failures none of which was placed: left out by `run --models`, unanalysable, or every analysis failed. */
  leftOut: PopulationStats[];
}

/**
 * The one rule every rate, weight and test applies: a (dataset, model) stratum counts only when it failed
 * nothing or some of its failures were placed. A stratum with failures but none placed has zero counts in
 * every category because nobody looked, not because it made no errors; counting its failures in a failure
 * rate while the shares come from other strata would turn its failures into theirs.
 */
export function analysedStrata(population: readonly PopulationStats[], placed: readonly FailureView[]): StrataSplit {
  const withPlaced = new Set(placed.map((f) => stratumKey(f.dataset, f.model)));
  const analysed: PopulationStats[] = [];
  const leftOut: PopulationStats[] = [];
  for (const p of population) (p.failures === 0 || withPlaced.has(stratumKey(p.dataset, p.model)) ? analysed : leftOut).push(p);
  return { analysed, leftOut };
}

const LISTED = 8;

function listed(items: readonly string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

/** A warning naming the strata left out, or none. */
export function leftOutWarnings(leftOut: readonly PopulationStats[]): string[] {
  if (leftOut.length === 0) return [];
  const names = leftOut.map((p) => `${p.model} on ${p.dataset} (${p.failures} failures)`);
  return [
    `left out of failure rates and tests, none of their failures analysed (run --models, or only unanalysable failures): ${listed(names)}`,
  ];
}

/** A warning counting failures that could not be analysed (infrastructure errors, log-likelihood tasks), or none. */
export function unanalysableWarnings(population: readonly PopulationStats[]): string[] {
  const rows = population.filter((p) => p.unanalysable > 0);
  if (rows.length === 0) return [];
  const total = rows.reduce((n, p) => n + p.unanalysable, 0);
  return [
    `${total} failures could not be analysed (provider or sample errors, failed requests, log-likelihood tasks) and are left out of ` +
      `failure rates and incidence: ${listed(rows.map((p) => `${p.model} on ${p.dataset}: ${p.unanalysable} of ${p.failures}`))}`,
  ];
}

/** Every warning about a run's population: strata left out, then unanalysable failures. */
export function populationWarnings(population: readonly PopulationStats[], placed: readonly FailureView[]): string[] {
  return [...leftOutWarnings(analysedStrata(population, placed).leftOut), ...unanalysableWarnings(population)];
}

/** Sampling fractions further apart than this (largest / smallest) get a warning under the unweighted Fisher test. */
const FRACTION_SPREAD = 1.25;

/**
 * A warning when the share of analysable failures placed differs across one side's strata. The Fisher test
 * counts placed failures unweighted against sampling-scaled predictions, which is exact only for a uniform
 * fraction; otherwise strata sampled more heavily weigh more in the test than in the incidence shown.
 */
export function samplingFractionWarnings(label: string, strata: readonly PopulationStats[], placed: readonly FailureView[]): string[] {
  const placedPer = new Map<string, number>();
  for (const f of placed) placedPer.set(stratumKey(f.dataset, f.model), (placedPer.get(stratumKey(f.dataset, f.model)) ?? 0) + 1);
  const fractions = strata
    .filter((p) => analysableFailures(p) > 0)
    .map((p) => Math.min(1, (placedPer.get(stratumKey(p.dataset, p.model)) ?? 0) / analysableFailures(p)));
  if (fractions.length < 2) return [];
  const low = Math.min(...fractions);
  const high = Math.max(...fractions);
  if (low > 0 && high / low <= FRACTION_SPREAD) return [];
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
  return [
    `${label}: between ${pct(low)} and ${pct(high)} of the failures were analysed per (dataset, model); the p values test ` +
      'unweighted counts and only approximate the weighted incidences shown',
  ];
}
