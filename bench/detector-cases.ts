import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DetectContext } from '../src/detect/finding.js';
import { isScored, type Prediction } from '../src/ingest/prediction.js';
import { collectInputs } from '../src/ingest/read-inputs.js';
import type { Failure } from '../src/prepare/failure.js';

/** The four shared data sets the labels cover. */
export const LABEL_DATASETS = ['mmlu_pro', 'theoremqa', 'alpaca_eval', 'vicuna_bench'] as const;

/**
 * Reads the shared CSVs and builds a detector context for every failure, the way the pipeline does:
 * threshold = round(0.7 × mean score, 2) per dataset, references = other models' outputs at or above it.
 */
export async function loadDetectorCases(dataDir: string): Promise<DetectContext[]> {
  const files = LABEL_DATASETS.map((d) => join(dataDir, d, `${d}.csv`));
  const { predictions } = await collectInputs(files);
  return failureContexts(predictions.filter(isScored)).filter((ctx) => ctx.failure.score < ctx.failure.threshold);
}

/** A prediction with a score: the shared data sets score every row. */
export type ScoredPrediction = Prediction & { score: number };

/** Threshold per dataset: round(0.7 × mean score, 2), as the pipeline's default. */
export function datasetThresholds(predictions: readonly ScoredPrediction[]): Map<string, number> {
  const thresholds = new Map<string, number>();
  for (const [dataset, rows] of groupBy([...predictions], (p) => p.dataset)) {
    const mean = rows.reduce((sum, p) => sum + p.score, 0) / rows.length;
    thresholds.set(dataset, Math.round(0.7 * mean * 100) / 100);
  }
  return thresholds;
}

/** A detector context for every prediction, failing or not (constructed cases rewrite correct outputs). */
export function failureContexts(predictions: readonly ScoredPrediction[]): DetectContext[] {
  const thresholds = datasetThresholds(predictions);
  const byExample = groupBy([...predictions], (p) => `${p.dataset}|${p.exampleId}`);
  return predictions.map((p) => {
    const threshold = thresholds.get(p.dataset) ?? 0;
    const sameExample = byExample.get(`${p.dataset}|${p.exampleId}`) ?? [];
    const failure: Failure = { ...p, id: failureId(p), threshold };
    const references = sameExample.filter((o) => o.model !== p.model && o.score >= threshold);
    return { failure, references, sameExample };
  });
}

export function caseKey(p: Pick<Prediction, 'dataset' | 'exampleId' | 'model'>): string {
  return `${p.dataset}|${p.exampleId}|${p.model}`;
}

function failureId(p: Prediction): string {
  return createHash('sha256').update(`${p.dataset}\u0000${p.exampleId}\u0000${p.model}`).digest('hex').slice(0, 12);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
