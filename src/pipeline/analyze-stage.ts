import type { Analysis, AnalysisFailure } from '../analyze/analysis.js';
import { analyzeWithJudge, isAnalysis } from '../analyze/judge-analyst.js';
import { offlineAnalysis } from '../analyze/offline-analyst.js';
import { estimateJudgeTokens } from '../analyze/precheck.js';
import type { Finding } from '../detect/finding.js';
import { batchJobRegistryOf, warmCacheWithBatch } from '../judge/batch/index.js';
import type { JudgeOptions } from '../judge/index.js';
import type { Failure, ReferencePool } from '../prepare/failure.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunSettings } from '../settings/run-settings.js';
import { type AnalysisPlan, analysisRequestOf, planAnalyses } from './analysis-plan.js';
import type { StageContext } from './stage-context.js';

export interface AnalyzeStageInput {
  failures: Failure[];
  findings: Map<string, Finding[]>;
  referencePool: ReferencePool;
  /** --batch: the options the judge was built with, to send the requests through the provider's batch API first. */
  batchJudge?: JudgeOptions;
}

export type AnalyzeSettings = Pick<RunSettings, 'analysis' | 'sampling' | 'judge'>;

export interface AnalyzeStageResult {
  analyses: Analysis[];
  failed: AnalysisFailure[];
  precheck: { filed: number; callsSaved: number; estimatedTokensSaved: number };
}

/**
 * Analyses every sampled failure: offline from the detectors, or with the judge (optionally filing
 * mechanical failures without a call). Each result is stored as soon as it exists.
 */
export async function analyzeStage(input: AnalyzeStageInput, settings: AnalyzeSettings, ctx: StageContext): Promise<AnalyzeStageResult> {
  const { failures, findings } = input;
  const { store, judge } = ctx;
  const stage = ctx.progress.stage('analyse', failures.length);
  const results = new Map<string, Analysis | AnalysisFailure>();
  const precheck = { filed: 0, callsSaved: 0, estimatedTokensSaved: 0 };
  store.clearAnalyses();

  const record = (result: Analysis | AnalysisFailure) => {
    results.set(result.failureId, result);
    if (isAnalysis(result)) store.putAnalysis(result);
    else store.putAnalysisFailure(result);
    stage.tick();
  };

  if (!judge) {
    for (const failure of failures) record(offlineAnalysis(failure, findings.get(failure.id) ?? []));
  } else {
    const plans = planAnalyses(failures, findings, input.referencePool, settings);
    for (const plan of plans) {
      if (!plan.labelled) continue;
      precheck.filed += 1;
      precheck.callsSaved += 1;
      precheck.estimatedTokensSaved += estimateJudgeTokens(plan.failure, plan.references);
    }
    if (input.batchJudge) await warmWithBatch(plans, ctx.prompts, input.batchJudge, settings, ctx);
    await Promise.all(
      plans.map(async (plan) => {
        if (plan.labelled) return record(plan.labelled);
        record(await analyzeWithJudge(judge, ctx.prompts, plan, { textBudget: settings.analysis.textBudget }));
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
async function warmWithBatch(
  plans: AnalysisPlan[],
  prompts: PromptSet,
  judgeOptions: JudgeOptions,
  settings: AnalyzeSettings,
  { store, judge, progress }: StageContext,
): Promise<void> {
  if (!judge) return;
  const requests = plans.filter((plan) => !plan.labelled).map((plan) => analysisRequestOf(plan, prompts, settings.analysis.textBudget));
  const result = await warmCacheWithBatch({
    judgeOptions,
    cache: store.callCache(),
    requests,
    registry: batchJobRegistryOf(store),
    meter: judge.meter,
    pollIntervalMs: settings.judge.batchPollSeconds * 1000,
    onProgress: (p) =>
      progress.info(`batch ${p.jobId}: ${p.status}, ${p.completed}/${p.total} done${p.failed ? `, ${p.failed} failed` : ''}`),
  });
  progress.info(
    `batch: ${result.answered} answers cached (${result.cachedBefore} were already), ${result.invalid} invalid and ${result.failed} failed go through the normal path`,
  );
}
