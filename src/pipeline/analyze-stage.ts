import { analyzeWithJudge, isAnalysis } from '../analyze/judge-analyst.js';
import { offlineAnalysis } from '../analyze/offline-analyst.js';
import { estimateJudgeTokens } from '../analyze/precheck.js';
import type { Analysis, AnalysisFailure, AnalysisOutcome } from '../contracts/analysis.js';
import { batchJobRegistryOf, warmCacheWithBatch } from '../judge/batch/index.js';
import type { JudgeOptions } from '../judge/index.js';
import { exampleKey } from '../prepare/example-groups.js';
import type { FailureRef, ReferencePool } from '../prepare/failure.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunSettings } from '../settings/run-settings.js';
import { analysisRequestOf, type PlannedFailure, planFailures } from './analysis-plan.js';
import { LeaderFirstDispatch } from './leader-first-dispatch.js';
import type { StageContext } from './stage-context.js';

export interface AnalyzeStageInput {
  /** Ids only: each example's texts are read when its failures are due. */
  failures: FailureRef[];
  referencePool: ReferencePool;
  thresholds: Readonly<Record<string, number>>;
  /** --batch: the options the judge was built with, to send the requests through the provider's batch API first. */
  batchJudge?: JudgeOptions;
}

export type AnalyzeSettings = Pick<RunSettings, 'analysis' | 'sampling' | 'judge'>;

export interface AnalyzeStageResult {
  /** Without their criteria, which are in the run database (100,000 analyses would hold hundreds of MB). */
  analyses: AnalysisOutcome[];
  failed: AnalysisFailure[];
  precheck: { filed: number; callsSaved: number; estimatedTokensSaved: number };
}

/**
 * Requests planned ahead of the judge's free slots, per slot: when a call returns, the next request
 * already waits in the judge's queue, so no slot idles while errormap detects and renders.
 */
const PLANNED_PER_SLOT = 2;

/** How many failures per worker may wait for their example's first answer before no more are planned ahead. */
const DEFERRED_PER_WORKER = 4;

/**
 * Detects and analyses every sampled failure: offline from the detectors, or with the judge
 * (optionally filing mechanical failures without a call). Failures stream through a pool of workers,
 * an example's first failure before its others (which then find their shared prompt prefix in the
 * provider's cache); each prompt is rendered when its call is due and dropped after, and each result
 * is stored as soon as it exists.
 */
export async function analyzeStage(input: AnalyzeStageInput, settings: AnalyzeSettings, ctx: StageContext): Promise<AnalyzeStageResult> {
  const { failures } = input;
  const { store, judge } = ctx;
  const stage = ctx.progress.stage('analyse', failures.length, 'failures');
  const results = new Map<string, AnalysisOutcome | AnalysisFailure>();
  const precheck = { filed: 0, callsSaved: 0, estimatedTokensSaved: 0 };
  store.clearAnalyses();
  store.clearFindings();

  const record = (result: Analysis | AnalysisFailure) => {
    if (isAnalysis(result)) {
      store.putAnalysis(result);
      const { criteria: _stored, ...outcome } = result;
      results.set(result.failureId, outcome);
    } else {
      store.putAnalysisFailure(result);
      results.set(result.failureId, result);
    }
    stage.tick();
  };
  const planned = planFailures(failures, { pool: input.referencePool, thresholds: input.thresholds }, settings);
  const analyse = async ({ plan, findings }: PlannedFailure) => {
    store.putFindings(plan.failure.id, findings);
    if (!judge) return record(offlineAnalysis(plan.failure, findings));
    if (plan.labelled) {
      precheck.filed += 1;
      precheck.callsSaved += 1;
      precheck.estimatedTokensSaved += estimateJudgeTokens(plan.failure, plan.references);
      return record(plan.labelled);
    }
    record(await analyzeWithJudge(judge, ctx.prompts, plan, { textBudget: settings.analysis.textBudget }));
  };

  if (judge && input.batchJudge) {
    // The batch API takes every request at once; the synchronous pass after it is answered from the cache.
    const all = [...planned];
    await warmWithBatch(all, ctx.prompts, input.batchJudge, settings, ctx);
    await inPool(all.values(), judge.concurrency * PLANNED_PER_SLOT, analyse);
  } else {
    await inPool(planned, judge ? judge.concurrency * PLANNED_PER_SLOT : 1, analyse);
  }
  store.flushWrites();
  stage.done();

  // Report in the failures' saved order, not completion order, so files are reproducible.
  const analyses: AnalysisOutcome[] = [];
  const failed: AnalysisFailure[] = [];
  for (const f of failures) {
    const r = results.get(f.id);
    if (!r) continue;
    if ('reason' in r) failed.push(r);
    else analyses.push(r);
  }
  return { analyses, failed, precheck };
}

/**
 * Runs `work` on each planned failure with at most `width` in progress; failures are planned only when
 * a worker is free, and an example's first failure is answered before its others go out (see
 * LeaderFirstDispatch), so they can be served from the provider's prompt cache.
 */
async function inPool(items: Iterator<PlannedFailure>, width: number, work: (item: PlannedFailure) => Promise<void>): Promise<void> {
  const dispatch = new LeaderFirstDispatch(items, ({ plan }) => exampleKey(plan.failure), Math.max(1, width) * DEFERRED_PER_WORKER);
  const worker = async () => {
    for (let next = await dispatch.next(); next; next = await dispatch.next()) {
      try {
        await work(next.item);
      } finally {
        next.finished();
      }
    }
  };
  // One worker starts per turn of the event loop: the first request is on the wire while the next
  // failures are planned, instead of after every worker has planned its first (64 plans at 100,000 failures).
  const running: Promise<void>[] = [];
  let stopped = false;
  for (let i = 0; i < Math.max(1, width) && !stopped; i++) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const started = worker();
    // Handled at once (a worker can fail while the others are still starting); Promise.all rethrows it.
    started.catch(() => {
      stopped = true;
    });
    running.push(started);
  }
  await Promise.all(running);
}

/**
 * --batch: the requests go to the provider's batch API first (about half the price); each valid
 * answer lands in the call cache, so the synchronous pass that follows is served from it, and only
 * missing or invalid answers are asked again one by one.
 */
async function warmWithBatch(
  planned: PlannedFailure[],
  prompts: PromptSet,
  judgeOptions: JudgeOptions,
  settings: AnalyzeSettings,
  { store, judge, progress }: StageContext,
): Promise<void> {
  if (!judge) return;
  const requests = planned
    .filter(({ plan }) => !plan.labelled)
    .map(({ plan }) => analysisRequestOf(plan, prompts, settings.analysis.textBudget));
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
