import { createHash } from 'node:crypto';
import type { Prediction } from '../ingest/prediction.js';

/** Stable failure id: "f_" + the first 12 hex digits of sha256(dataset \0 example_id \0 model). */
export function failureId(p: Pick<Prediction, 'dataset' | 'exampleId' | 'model'>): string {
  const digest = createHash('sha256').update(`${p.dataset}\u0000${p.exampleId}\u0000${p.model}`).digest('hex');
  return `f_${digest.slice(0, 12)}`;
}
