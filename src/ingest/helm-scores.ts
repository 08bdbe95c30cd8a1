import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { MetricHint } from './helm-main-metric.js';
import { streamJsonArray } from './json-stream.js';

/**
 * Per-instance metrics HELM computes, in the order we prefer them as "the" score of a run
 * when the user names none (--metric): correctness metrics first, then similarity metrics.
 */
export const PREFERRED_HELM_METRICS = [
  'exact_match',
  'quasi_exact_match',
  'prefix_exact_match',
  'quasi_prefix_exact_match',
  'chain_of_thought_correctness',
  'math_equiv_chain_of_thought',
  'math_equiv',
  'final_number_exact_match',
  'ifeval_strict_accuracy',
  'wildbench_score',
  'omni_math_accuracy',
  'f1_score',
  'rouge_l',
  'bleu_4',
] as const;

/** The per-instance score of one run for the chosen metric. */
export interface HelmScores {
  /** File the scores came from, relative to the run folder. */
  file: string;
  metric: string;
  /** Why this metric, when the run has no exact_match and no --metric named one (for the user). */
  chosenBecause?: string;
  /** The instance's value as HELM wrote it (NaN included), or undefined when the instance has none. */
  lookup(instanceId: string, trainTrialIndex: number): number | undefined;
}

const PER_INSTANCE_STATS = 'per_instance_stats.json';
const DISPLAY_PREDICTIONS = 'display_predictions.json';

/**
 * Reads the run's per-instance scores (streamed), keeping only the candidate metrics. Without --metric:
 * exact_match, else the first metric the run declares as its own (`hints`) that it has, else the first of
 * the usual correctness metrics.
 */
export async function readHelmScores(run: string, metric: string | undefined, hints: readonly MetricHint[] = []): Promise<HelmScores> {
  const file = existsSync(join(run, PER_INSTANCE_STATS)) ? PER_INSTANCE_STATS : DISPLAY_PREDICTIONS;
  const path = join(run, file);
  if (!existsSync(path)) {
    throw new InputError({
      file: run,
      field: PER_INSTANCE_STATS,
      problem: `the HELM run has neither ${PER_INSTANCE_STATS} nor ${DISPLAY_PREDICTIONS}, so it has no per-instance scores`,
    });
  }
  const candidates = new Set<string>(metric ? [metric] : [...PREFERRED_HELM_METRICS, ...hints.map((h) => h.metric)]);
  const byMetric = new Map<string, Map<string, number>>();
  const available = new Set<string>();

  for await (const { index, value } of streamJsonArray(path, undefined)) {
    const entry = asRecord(value);
    if (!entry || typeof entry.instance_id !== 'string') {
      throw new InputError({ file: path, line: index + 1, field: `[${index}].instance_id`, problem: 'entry has no instance_id' });
    }
    if (entry.perturbation) continue;
    const key = instanceKey(entry.instance_id, typeof entry.train_trial_index === 'number' ? entry.train_trial_index : 0);
    for (const [name, score] of statsOf(entry, file === PER_INSTANCE_STATS, path, index)) {
      available.add(name);
      if (!candidates.has(name)) continue;
      const scores = byMetric.get(name) ?? new Map();
      byMetric.set(name, scores);
      scores.set(key, score);
    }
  }

  const choice = metric ? { metric } : chooseMetric(byMetric, hints);
  const chosen = choice?.metric;
  const scores = chosen ? byMetric.get(chosen) : undefined;
  if (!chosen || !scores) {
    const known = [...available].sort().join(', ') || 'none';
    throw new InputError({
      file: path,
      field: metric ?? 'stats',
      problem: metric
        ? `metric "${metric}" is not in this run (available: ${known})`
        : `none of the usual correctness metrics is in this run; choose one with --metric (available: ${known})`,
    });
  }
  return { file, metric: chosen, chosenBecause: choice?.because, lookup: (id, trial) => scores.get(instanceKey(id, trial)) };
}

function chooseMetric(
  byMetric: ReadonlyMap<string, unknown>,
  hints: readonly MetricHint[],
): { metric: string; because?: string } | undefined {
  if (byMetric.has('exact_match')) return { metric: 'exact_match' };
  const declared = hints.find((h) => byMetric.has(h.metric));
  if (declared) return { metric: declared.metric, because: declared.source };
  const usual = PREFERRED_HELM_METRICS.find((m) => byMetric.has(m));
  return usual ? { metric: usual, because: 'the first of the usual correctness metrics the run has' } : undefined;
}

function instanceKey(instanceId: string, trial: number): string {
  return `${instanceId}\u0000${trial}`;
}

/** (metric name, value) pairs of one entry, skipping perturbed stats. */
function* statsOf(entry: Record<string, unknown>, perInstanceStats: boolean, path: string, index: number): Generator<[string, number]> {
  const stats = entry.stats;
  if (perInstanceStats) {
    if (!Array.isArray(stats)) {
      throw new InputError({ file: path, line: index + 1, field: `[${index}].stats`, problem: 'stats is not a list' });
    }
    for (const stat of stats) {
      const s = asRecord(stat);
      const name = asRecord(s?.name);
      if (!s || !name || typeof name.name !== 'string' || name.perturbation) continue;
      const mean =
        typeof s.mean === 'number'
          ? s.mean
          : typeof s.sum === 'number' && typeof s.count === 'number' && s.count > 0
            ? s.sum / s.count
            : undefined;
      // NaN is kept: the instance then reads as "no score" with that reason, not as a missing instance.
      if (mean !== undefined) yield [name.name, mean];
    }
    return;
  }
  const dict = asRecord(stats);
  if (!dict) throw new InputError({ file: path, line: index + 1, field: `[${index}].stats`, problem: 'stats is not an object' });
  for (const [name, value] of Object.entries(dict)) {
    if (typeof value === 'number') yield [name, value];
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
