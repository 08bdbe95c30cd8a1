import type { Analysis } from '../analyze/analysis.js';
import { analysisRequest } from '../analyze/judge-analyst.js';
import { precheckHint, precheckLabel } from '../analyze/precheck.js';
import type { Finding } from '../detect/finding.js';
import type { Prediction } from '../ingest/prediction.js';
import type { JudgeRequest } from '../judge/judge.js';
import type { Failure, ReferencePool } from '../prepare/failure.js';
import { chooseReferences } from '../prepare/reference-pool.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunSettings } from '../settings/run-settings.js';

/** What happens to one failure in judge mode: filed by a pre-check, or asked of the judge with this evidence. */
export type AnalysisPlan =
  | { failure: Failure; references: Prediction[]; labelled: Analysis }
  | { failure: Failure; references: Prediction[]; hints?: string; labelled?: undefined };

/** Decides, per failure, between a pre-check label and a judge call, and chooses the evidence. Pure given the pool. */
export function planAnalyses(
  failures: Failure[],
  findings: Map<string, Finding[]>,
  pool: ReferencePool,
  settings: Pick<RunSettings, 'analysis' | 'sampling'>,
): AnalysisPlan[] {
  const { maxReferences, precheck } = settings.analysis;
  return failures.map((failure) => {
    const found = findings.get(failure.id) ?? [];
    const references = chooseReferences(pool, failure, maxReferences, settings.sampling.seed);
    const labelled = precheck === 'label' ? precheckLabel(failure, found) : undefined;
    if (labelled) return { failure, references, labelled };
    const hints = precheck === 'off' ? undefined : precheckHint(found, { unverified: precheck === 'hint-all' });
    return { failure, references, hints };
  });
}

/** The error_analysis request a plan sends: exactly what the judge (and its cache key) sees. */
export function analysisRequestOf(plan: AnalysisPlan, prompts: PromptSet, textBudget: number): JudgeRequest<unknown> {
  return analysisRequest(prompts, plan, { textBudget });
}
