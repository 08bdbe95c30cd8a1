import type { Analysis, AnalysisFailure } from '../analyze/analysis.js';
import { analyzeWithJudge, isAnalysis } from '../analyze/judge-analyst.js';
import { offlineAnalysis } from '../analyze/offline-analyst.js';
import { estimateJudgeTokens } from '../analyze/precheck.js';
import type { Finding } from '../detect/finding.js';
import { batchJobRegistryOf, warmCacheWithBatch } from '../judge/batch/index.js';
import type { CreatedJudge, JudgeOptions } from '../judge/index.js';
import type { Failure, ReferencePool } from '../prepare/failure.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunStore } from '../store/run-store.js';
import { type AnalysisPlan, analysisRequestOf, planAnalyses } from './analysis-plan.js';
import type { ProgressReporter } from './progress.js';
import type { PrecheckMode } from './run-settings.js';

export interface AnalyzeStageInput {
  failures: Failure[];
  findings: Map<string, Finding[]>;
  referencePool: ReferencePool;
  /** Undefined in offline mode. */
  judge?: CreatedJudge;
  prompts?: PromptSet;
  settings: { maxReferences: number; textBudget: number; precheck: PrecheckMode; seed: number };
  /** --batch: send the judge requests through the provider's batch API first (the options the judge was built with). */
  batch?: { judgeOptions: JudgeOptions; pollSeconds: number };
}

export interface AnalyzeStageResult {
  analyses: Analysis[];
  failed: AnalysisFailure[];
  precheck: { filed: number; callsSaved: number; estimatedTokensSaved: number };
}

/**
 * Analyses every sampled failure: offline from the detectors, or with the judge (optionally filing
 * mechanical failures without a call). Each result is stored as soon as it exists.
 */
export async function runAnalyzeStage(input: AnalyzeStageInput, store: RunStore, progress: ProgressReporter): Promise<AnalyzeStageResult> {
  const { failures, findings, judge, prompts, settings } = input;
  const stage = progress.stage('analyse', failures.length);
  const results = new Map<string, Analysis | AnalysisFailure>();
  const precheck = { filed: 0, callsSaved: 0, estimatedTokensSaved: 0 };
  store.clearAnalyses();

  const record = (result: Analysis | AnalysisFailure) => {
    results.set(result.failureId, result);
    if (isAnalysis(result)) store.putAnalysis(result);
    else store.putAnalysisFailure(result);
    stage.tick();
  };

  if (!judge || !prompts) {
    for (const failure of failures) record(offlineAnalysis(failure, findings.get(failure.id) ?? []));
  } else {
    const plans = planAnalyses(failures, findings, input.referencePool, settings);
    for (const plan of plans) {
      if (!plan.labelled) continue;
      precheck.filed += 1;
      precheck.callsSaved += 1;
      precheck.estimatedTokensSaved += estimateJudgeTokens(plan.failure, plan.references);
    }
    if (input.batch) await warmWithBatch(plans, input, store, progress);
    await Promise.all(
      plans.map(async (plan) => {
        if (plan.labelled) return record(plan.labelled);
        record(await analyzeWithJudge(judge, prompts, plan, { textBudget: settings.textBudget }));
      }),
    );
  }
  stage.done();

  // Report in the failures' saved order, not completion order, so files are reproducible.
  const analyses: Analysis[] = [];
  const failed: AnalysisFailure[] = [];
  for (const f of failures) {
    const r = results.get(f.id);
    if (!r) continue;
    if (isAnalysis(r)) analyses.push(r);
    else failed.push(r);
  }
  return { analyses, failed, precheck };
}

/**
 * --batch: the requests go to the provider's batch API first (about half the price); each valid
 * answer lands in the call cache, so the synchronous pass that follows is served from it, and only
 * missing or invalid answers are asked again one by one.
 */
async function warmWithBatch(plans: AnalysisPlan[], input: AnalyzeStageInput, store: RunStore, progress: ProgressReporter): Promise<void> {
  const { judge, prompts, batch, settings } = input;
  if (!judge || !prompts || !batch) return;
  const requests = plans.filter((plan) => !plan.labelled).map((plan) => analysisRequestOf(plan, prompts, settings.textBudget));
  const result = await warmCacheWithBatch({
    judgeOptions: batch.judgeOptions,
    cache: store.callCache(),
    requests,
    registry: batchJobRegistryOf(store),
    meter: judge.meter,
    pollIntervalMs: batch.pollSeconds * 1000,
    onProgress: (p) =>
      progress.info(`batch ${p.jobId}: ${p.status}, ${p.completed}/${p.total} done${p.failed ? `, ${p.failed} failed` : ''}`),
  });
  progress.info(
    `batch: ${result.answered} answers cached (${result.cachedBefore} were already), ${result.invalid} invalid and ${result.failed} failed go through the normal path`,
  );
}
