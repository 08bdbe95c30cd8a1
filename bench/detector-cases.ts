import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DetectContext } from '../src/detect/finding.js';
import type { Prediction } from '../src/ingest/prediction.js';
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
  const byDataset = groupBy(predictions, (p) => p.dataset);
  const cases: DetectContext[] = [];
  for (const rows of byDataset.values()) {
    const mean = rows.reduce((sum, p) => sum + p.score, 0) / rows.length;
    const threshold = Math.round(0.7 * mean * 100) / 100;
    const byExample = groupBy(rows, (p) => p.exampleId);
    for (const p of rows) {
      if (p.score >= threshold) continue;
      const sameExample = byExample.get(p.exampleId) ?? [];
      const failure: Failure = { ...p, id: failureId(p), threshold };
      const references = sameExample.filter((o) => o.model !== p.model && o.score >= threshold);
      cases.push({ failure, references, sameExample });
    }
  }
  return cases;
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
