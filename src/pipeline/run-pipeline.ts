import { computeSignatures, DEFAULT_GROUPINGS } from '../chart/signatures.js';
import { ErrormapError } from '../errors.js';
import { resolveBatchTarget } from '../judge/batch/batch-target.js';
import { type CreatedJudge, createJudge, type JudgeOptions, UsageMeter } from '../judge/index.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { writeRunFiles, writeRunRecord } from '../report/run-files.js';
import { writeSignatureFiles } from '../report/signature-files.js';
import { readReviews } from '../store/review-queries.js';
import { loadRunData } from '../store/run-data.js';
import type { RunRecord } from '../store/run-record.js';
import { RunStore } from '../store/run-store.js';
import { TAXONOMY_TASKS } from '../taxonomy/context.js';
import { readTaxonomyFile } from '../taxonomy/index.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';
import { runAnalyzeStage } from './analyze-stage.js';
import { newRunRecord } from './new-run-record.js';
import { readPrepareDetect } from './prepare-stage.js';
import type { ProgressReporter } from './progress.js';
import { silentProgress } from './progress.js';
import type { RunSettings } from './run-settings.js';
import { OFFLINE_JUDGE } from './run-settings.js';
import { runTaxonomyStage } from './taxonomy-stage.js';

/** The judge tasks of a run, in the order their prompt versions are recorded. */
const RUN_TASKS = ['error_analysis', ...TAXONOMY_TASKS] as const;

export interface RunResult {
  dir: string;
  record: RunRecord;
  taxonomy: TaxonomyNode;
  warnings: string[];
}

export interface RunContext {
  progress?: ProgressReporter;
  /** Receives judge usage as it changes (for progress bars). */
  meter?: UsageMeter;
}

/**
 * `errormap run`: ingest → prepare → detect → analyse → taxonomy → files.
 * Every finished judge call is in the run's cache, so running again resumes where a killed run stopped.
 */
export async function runPipeline(settings: RunSettings, context: RunContext = {}): Promise<RunResult> {
  const progress = context.progress ?? silentProgress;
  const offline = settings.judge === OFFLINE_JUDGE;
  // A bad atlas file must stop the run before any call is paid for.
  const atlas = settings.taxonomyFile ? readTaxonomyFile(settings.taxonomyFile) : undefined;
  const record = newRunRecord(settings);
  const warnings: string[] = [];
  record.warnings = warnings;
  const warn = (message: string) => {
    warnings.push(message);
    progress.warn(message);
  };
  const store = RunStore.open(settings.out);
  const meter = context.meter ?? new UsageMeter();
  try {
    const judgeOptions: JudgeOptions = {
      spec: settings.judge,
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      concurrency: settings.concurrency,
      maxRetries: settings.maxRetries,
      timeoutMs: settings.timeoutMs,
      temperature: settings.temperature,
      structuredOutputs: settings.structuredOutputs,
      price: settings.price,
      cache: store.callCache(),
      meter,
    };
    const judge: CreatedJudge | undefined = offline ? undefined : createJudge(judgeOptions);
    // A judge without a batch API is refused now, not after reading and detecting.
    if (judge && settings.batch) resolveBatchTarget(judgeOptions);
    writeRunRecord(settings.out, record);

    const { failures, findings, referencePool } = await readPrepareDetect(settings, store, record, { ...progress, warn });

    const prompts = loadPromptSet(settings.promptsDir, RUN_TASKS);
    if (judge) record.promptVersions = { ...prompts.versions };
    const analysed = await runAnalyzeStage(
      {
        failures,
        findings,
        referencePool,
        judge,
        prompts,
        settings: {
          maxReferences: settings.maxReferences,
          textBudget: settings.textBudget,
          precheck: settings.precheck,
          seed: settings.seed,
        },
        batch: settings.batch ? { judgeOptions, pollSeconds: settings.batchPollSeconds } : undefined,
      },
      store,
      progress,
    );
    if (judge && settings.precheck === 'label') record.precheck = analysed.precheck;
    if (analysed.failed.length > 0 && analysed.analyses.length === 0) {
      throw new ErrormapError('JUDGE_UNAVAILABLE', `no failure could be analysed; the judge's first error: ${analysed.failed[0].reason}`);
    }
    if (analysed.failed.length > 0) {
      warn(
        `${analysed.failed.length} failure(s) could not be analysed (reasons in unanalysed.csv); run the same command again to retry them`,
      );
    }

    const taxonomy = await runTaxonomyStage(
      {
        analyses: analysed.analyses,
        judge,
        judgeParameters: { temperature: settings.temperature, structuredOutputs: settings.structuredOutputs },
        cache: store,
        prompts,
        atlas,
        settings: { maxDepth: settings.maxDepth, maxCategories: settings.maxCategories, minShare: settings.minShare, seed: settings.seed },
      },
      progress,
    );
    for (const w of taxonomy.warnings) warn(w);
    store.saveTaxonomy(taxonomy.root, taxonomy.assignments);
    await writeRunFiles({
      dir: settings.out,
      taxonomy: taxonomy.root,
      failures,
      analyses: analysed.analyses,
      analysisFailures: analysed.failed,
      assignments: taxonomy.assignments,
      reviews: readReviews(store.db),
    });

    record.counts.analysed = analysed.analyses.length;
    record.counts.noError = analysed.analyses.filter((a) => !a.hasError).length;
    record.counts.analysisFailed = analysed.failed.length;
    record.counts.categories = countNodes(taxonomy.root) - 1;
    record.usage = meter.snapshot();
    record.status = 'finished';
    record.finishedAt = new Date().toISOString();
    writeRunRecord(settings.out, record);
    store.close();
    writeSignatureFiles(settings.out, computeSignatures(loadRunData(settings.out), { groupings: DEFAULT_GROUPINGS }));
    return { dir: settings.out, record, taxonomy: taxonomy.root, warnings };
  } catch (error) {
    // The run directory says the run failed and why; everything finished so far stays in errormap.db.
    record.status = 'failed';
    record.error = error instanceof Error ? error.message : String(error);
    record.usage = meter.snapshot();
    writeRunRecord(settings.out, record);
    throw error;
  } finally {
    if (store.db.open) store.close();
  }
}

function countNodes(node: TaxonomyNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}
