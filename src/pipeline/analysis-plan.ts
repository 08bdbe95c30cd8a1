import { analysisRequest } from '../analyze/judge-analyst.js';
import { precheckHint, precheckLabel } from '../analyze/precheck.js';
import type { Analysis } from '../contracts/analysis.js';
import type { Finding } from '../detect/finding.js';
import { detectFailure } from '../detect/run-detectors.js';
import type { Prediction } from '../ingest/prediction.js';
import type { JudgeRequest } from '../judge/judge.js';
import { groupByExample } from '../prepare/example-groups.js';
import { asFailure, type Failure, type FailureRef, type ReferencePool } from '../prepare/failure.js';
import { isReference, pickReferences } from '../prepare/reference-pool.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { PrecheckMode, RunSettings } from '../settings/run-settings.js';

/** What happens to one failure in judge mode: filed by a pre-check, or asked of the judge with this evidence. */
export type AnalysisPlan =
  | { failure: Failure; references: Prediction[]; labelled: Analysis }
  | { failure: Failure; references: Prediction[]; hints?: string; labelled?: undefined };

/** A failure with its detector findings and its plan. */
export interface PlannedFailure {
  plan: AnalysisPlan;
  findings: Finding[];
}

export type PlanSettings = Pick<RunSettings, 'analysis' | 'sampling'>;

export interface PlanContext {
  pool: ReferencePool;
  /** Per dataset: a prediction at or above it is correct, and may serve as a reference. */
  thresholds: Readonly<Record<string, number>>;
}

/**
 * Detects and plans each failure when it is due, one example at a time: the example's predictions
 * (the failures' texts among them) are read once, and nothing is planned ahead of the calls that
 * need it. Pure given the pool.
 */
export function* planFailures(failures: readonly FailureRef[], context: PlanContext, settings: PlanSettings): Generator<PlannedFailure> {
  for (const group of groupByExample(failures)) {
    const sameExample = context.pool.allFor(group[0].dataset, group[0].exampleId);
    const correct = sameExample.filter((p) => isReference(p, context.thresholds));
    for (const ref of group) {
      const prediction = sameExample.find((p) => p.model === ref.model);
      if (!prediction) throw new Error(`bug: failure ${ref.id} has no prediction in the run database`);
      const failure = asFailure(prediction, ref.id, ref.threshold);
      const findings = detectFailure({
        failure,
        references: correct.filter((p) => p.model !== failure.model),
        sameExample,
        answerFormat: settings.analysis.answerFormats[failure.dataset],
      });
      const references = pickReferences(correct, failure, settings.analysis.maxReferences, settings.sampling.seed);
      yield { plan: planOf(failure, findings, references, settings.analysis.precheck), findings };
    }
  }
}

/** Decides between a pre-check label and a judge call, with the chosen evidence. */
function planOf(failure: Failure, findings: Finding[], references: Prediction[], precheck: PrecheckMode): AnalysisPlan {
  const labelled = precheck === 'label' ? precheckLabel(failure, findings) : undefined;
  if (labelled) return { failure, references, labelled };
  return { failure, references, hints: precheck === 'off' ? undefined : precheckHint(findings, { unverified: precheck === 'hint-all' }) };
}

/** The error_analysis request a plan sends: exactly what the judge (and its cache key) sees. */
export function analysisRequestOf(plan: AnalysisPlan, prompts: PromptSet, textBudget: number): JudgeRequest<unknown> {
  return analysisRequest(prompts, plan, { textBudget });
}
