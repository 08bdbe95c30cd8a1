import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parsePythonJson } from './python-json.js';

/** A metric a HELM run names as its own, and where it says so (for the message that tells the user). */
export interface MetricHint {
  metric: string;
  source: string;
}

type Json = Record<string, unknown>;
function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * The metrics a run declares as its own, most authoritative first:
 * 1. the main metric (`environment.main_name`) of each of the run's groups in the suite's schema.json,
 *    which helm-summarize writes beside the run folders;
 * 2. the metric names a metric spec of run_spec.json lists (`args.names`, as BasicGenerationMetric has);
 * 3. the metric a metric class is named after (helm.benchmark.metrics.safety_metrics.SafetyScoreMetric
 *    computes "safety_score"), HELM's naming convention; only used when the run has that stat.
 */
export async function runMetricHints(runFolder: string, runSpec: unknown): Promise<MetricHint[]> {
  const spec = record(runSpec) ?? {};
  const groups = Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === 'string') : [];
  const hints: MetricHint[] = [...(await schemaMainMetrics(join(dirname(runFolder), 'schema.json'), groups))];
  const metricSpecs = Array.isArray(spec.metric_specs) ? spec.metric_specs.map(record) : [];
  for (const metricSpec of metricSpecs) {
    const names = record(metricSpec?.args)?.names;
    if (Array.isArray(names))
      for (const name of names) if (typeof name === 'string') hints.push({ metric: name, source: "named in run_spec.json's metric_specs" });
  }
  for (const metricSpec of metricSpecs) {
    const className = metricSpec?.class_name;
    if (typeof className !== 'string') continue;
    const metric = metricOfClass(className);
    if (metric) hints.push({ metric, source: `computed by the run's metric class ${className.split('.').pop()} (run_spec.json)` });
  }
  return hints;
}

/** "SafetyScoreMetric" → "safety_score"; undefined for a class not named "<Name>Metric". */
export function metricOfClass(className: string): string | undefined {
  const match = /([A-Za-z0-9]+)Metric$/.exec(className.split('.').pop() ?? '');
  if (!match) return undefined;
  return match[1]
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

async function schemaMainMetrics(schemaFile: string, groups: string[]): Promise<MetricHint[]> {
  if (groups.length === 0) return [];
  let schema: unknown;
  try {
    schema = parsePythonJson(await readFile(schemaFile, 'utf8'));
  } catch {
    // No schema.json (helm-summarize was not run) or an unreadable one: the run spec still gives hints.
    return [];
  }
  const runGroups = record(schema)?.run_groups;
  if (!Array.isArray(runGroups)) return [];
  const hints: MetricHint[] = [];
  for (const group of groups) {
    const entry = runGroups.map(record).find((g) => g?.name === group);
    const main = record(entry?.environment)?.main_name;
    if (typeof main === 'string' && main !== '')
      hints.push({ metric: main, source: `the main metric of run group "${group}" in schema.json` });
  }
  return hints;
}
