import type { Analysis, AnalysisFailure } from '../analyze/analysis.js';
import { analyzeWithJudge, isAnalysis } from '../analyze/judge-analyst.js';
import { offlineAnalysis } from '../analyze/offline-analyst.js';
import { estimateJudgeTokens } from '../analyze/precheck.js';
import type { AnswerFormatConfig } from '../detect/finding.js';
import { batchJobRegistryOf, warmCacheWithBatch } from '../judge/batch/index.js';
import type { CreatedJudge, JudgeOptions } from '../judge/index.js';
import type { FailureRef, ReferencePool } from '../prepare/failure.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunStore } from '../store/run-store.js';
import { analysisRequestOf, type PlannedFailure, planFailures } from './analysis-plan.js';
import type { ProgressReporter } from './progress.js';
import type { PrecheckMode } from './run-settings.js';

export interface AnalyzeStageInput {
  failures: FailureRef[];
  referencePool: ReferencePool;
  thresholds: Readonly<Record<string, number>>;
  answerFormats: Readonly<Record<string, AnswerFormatConfig>>;
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
 * Requests planned ahead of the judge's free slots, per slot: when a call returns, the next request
 * already waits in the judge's queue, so no slot idles while errormap detects and renders.
 */
const PLANNED_PER_SLOT = 2;

/**
 * Detects and analyses every sampled failure: offline from the detectors, or with the judge
 * (optionally filing mechanical failures without a call). Failures stream through a pool of workers,
 * one example's failures after another; each prompt is rendered when its call is due and dropped
 * after, and each result is stored as soon as it exists.
 */
export async function runAnalyzeStage(input: AnalyzeStageInput, store: RunStore, progress: ProgressReporter): Promise<AnalyzeStageResult> {
  const { failures, judge, prompts, settings } = input;
  const stage = progress.stage('analyse', failures.length);
  const results = new Map<string, Analysis | AnalysisFailure>();
  const precheck = { filed: 0, callsSaved: 0, estimatedTokensSaved: 0 };
  store.clearAnalyses();
  store.clearFindings();

  const record = (result: Analysis | AnalysisFailure) => {
    results.set(result.failureId, result);
    if (isAnalysis(result)) store.putAnalysis(result);
    else store.putAnalysisFailure(result);
    stage.tick();
  };
  const planned = planFailures(
    failures,
    { pool: input.referencePool, thresholds: input.thresholds, answerFormats: input.answerFormats },
    settings,
  );
  const analyse = async ({ plan, findings }: PlannedFailure) => {
    store.putFindings(plan.failure.id, findings);
    if (!judge || !prompts) return record(offlineAnalysis(plan.failure, findings));
    if (plan.labelled) {
      precheck.filed += 1;
      precheck.callsSaved += 1;
      precheck.estimatedTokensSaved += estimateJudgeTokens(plan.failure, plan.references);
      return record(plan.labelled);
    }
    record(await analyzeWithJudge(judge, prompts, plan, { textBudget: settings.textBudget }));
  };

  if (judge && prompts && input.batch) {
    // The batch API takes every request at once; the synchronous pass after it is answered from the cache.
    const all = [...planned];
    await warmWithBatch(all, input, store, progress);
    await inPool(all.values(), judge.concurrency * PLANNED_PER_SLOT, analyse);
  } else {
    await inPool(planned, judge ? judge.concurrency * PLANNED_PER_SLOT : 1, analyse);
  }
  store.flushWrites();
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

/** Runs `work` on each item with at most `width` in progress; items are taken from the iterator only when a worker is free. */
async function inPool<T>(items: Iterator<T>, width: number, work: (item: T) => Promise<void>): Promise<void> {
  const worker = async () => {
    for (let next = items.next(); !next.done; next = items.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
}

/**
 * --batch: the requests go to the provider's batch API first (about half the price); each valid
 * answer lands in the call cache, so the synchronous pass that follows is served from it, and only
 * missing or invalid answers are asked again one by one.
 */
async function warmWithBatch(
  planned: PlannedFailure[],
  input: AnalyzeStageInput,
  store: RunStore,
  progress: ProgressReporter,
): Promise<void> {
  const { judge, prompts, batch, settings } = input;
  if (!judge || !prompts || !batch) return;
  const requests = planned.filter(({ plan }) => !plan.labelled).map(({ plan }) => analysisRequestOf(plan, prompts, settings.textBudget));
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
