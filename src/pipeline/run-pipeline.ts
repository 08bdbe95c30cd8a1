import { existsSync, rmSync } from 'node:fs';
import { computeSignatures, DEFAULT_GROUPINGS } from '../chart/signatures.js';
import type { RunRecord } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ErrormapError, excerpt } from '../errors.js';
import { resolveBatchTarget } from '../judge/batch/batch-target.js';
import { type CreatedJudge, createJudge, JudgeCallError, type JudgeOptions, UsageMeter } from '../judge/index.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { writeRunFiles } from '../report/run-files.js';
import { writeSignatureFiles } from '../report/signature-files.js';
import { OFFLINE_JUDGE, type RunSettings } from '../settings/run-settings.js';
import { readReviews } from '../store/review-queries.js';
import { runDataFromStore } from '../store/run-data.js';
import { RUN_FILES, runFile, writeRecord } from '../store/run-dir.js';
import { acquireRunLock } from '../store/run-lock.js';
import { RunStore } from '../store/run-store.js';
import { TAXONOMY_TASKS } from '../taxonomy/context.js';
import { collectRatings, readTaxonomyFile } from '../taxonomy/index.js';
import { type AnalyzeStageResult, analyzeStage } from './analyze-stage.js';
import { incompleteSummary } from './incomplete-summary.js';
import { explainUnavailable, probeJudge } from './judge-probe.js';
import { newRunRecord } from './new-run-record.js';
import { prepareStage } from './prepare-stage.js';
import type { ProgressReporter } from './progress.js';
import { silentProgress } from './progress.js';
import type { StageContext } from './stage-context.js';
import { type TaxonomyStageResult, taxonomyStage } from './taxonomy-stage.js';

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

/** The judge tasks of a run, in the order their prompt versions are recorded. */
const RUN_TASKS = ['error_analysis', ...TAXONOMY_TASKS] as const;

/**
 * `errormap run`: ingest → prepare → detect → analyse → taxonomy → files.
 * Every finished judge call is in the run's cache, so running again resumes where a killed run stopped.
 */
export async function runPipeline(settings: RunSettings, context: RunContext = {}): Promise<RunResult> {
  const { out } = settings.output;
  const progress = context.progress ?? silentProgress;
  // A bad atlas file must stop the run before any call is paid for.
  const atlas = settings.taxonomy.taxonomyFile ? readTaxonomyFile(settings.taxonomy.taxonomyFile) : undefined;
  const record = newRunRecord(settings);
  const warnings: string[] = [];
  record.warnings = warnings;
  const warn = (message: string) => {
    warnings.push(message);
    progress.warn(message);
  };
  const meter = context.meter ?? new UsageMeter();
  // Its answer is awaited before the first analysis, not before reading: the probe's round trip and the
  // reading overlap. A judge found unavailable still stops the run before any analysis is paid for.
  const probe = startJudgeCheck(settings, meter);
  const newDirectory = !existsSync(out);
  // One writer per run directory: a second run stops here, before it touches anything.
  const lock = acquireRunLock(out, warn);
  // A previous run's record stays as it was until this run's input has been read whole.
  let replacing = !existsSync(runFile(out, 'record'));
  const startWriting = () => {
    replacing = true;
    writeRecord(out, record);
  };
  let store: RunStore | undefined;
  let judge: CreatedJudge | undefined;
  let judgeUnavailable = false;
  let failuresSaved: Promise<void> | undefined;
  try {
    store = RunStore.open(out, { untilReplaced: true });
    const prompts = loadPromptSet(settings.judge.promptsDir, RUN_TASKS);
    const onInput = (file: RunRecord['inputs'][number]) => record.inputs.push(file);
    const prepared = await prepareStage({ ...settings.input, runDir: out, onInput, onInputRead: startWriting }, settings, {
      store,
      prompts,
      progress,
      warn,
    });
    Object.assign(record.counts, prepared.counts);
    failuresSaved = prepared.failuresSaved;

    const checked = await probe;
    if (checked.unavailable) {
      judgeUnavailable = checked.unavailable instanceof ErrormapError && checked.unavailable.code === 'JUDGE_UNAVAILABLE';
      throw checked.unavailable;
    }
    if (checked.warning) warn(checked.warning);
    const judgeOptions: JudgeOptions = {
      ...judgeOptionsOf(settings.judge, meter),
      cache: store.callCache(),
      // --budget counts what earlier runs of this directory already paid.
      spentBeforeUsd: settings.judge.budget === undefined ? undefined : store.paidUsd(),
      // A new run's probe has just reached the judge: its first analysis need not go alone.
      firstRequestAlone: !checked.answered,
    };
    judge = settings.judge.judge === OFFLINE_JUDGE ? undefined : createJudge(judgeOptions);
    const ctx: StageContext = { store, judge, prompts, progress, warn };

    if (judge) record.promptVersions = { ...prompts.versions };
    const batchJudge = judge && settings.judge.batch ? judgeOptions : undefined;
    const analysed = await analyzeStage({ ...prepared, batchJudge }, settings, ctx);
    // Every failure is in the run database before anything reads them back (taxonomy, files).
    await prepared.failuresSaved;
    if (judge && settings.analysis.precheck === 'label') record.precheck = analysed.precheck;
    stopIfBudgetReached(
      judge,
      record,
      `${analysed.analyses.length} of ${prepared.failures.length} failures analysed, the taxonomy not built`,
    );
    checkAnalysed(analysed, warn);

    const taxonomy = await taxonomyStage({ analyses: analysed.analyses, atlas }, settings, ctx);
    stopIfBudgetReached(judge, record, 'every failure analysed, the taxonomy not finished');
    for (const w of taxonomy.warnings) warn(w);
    const incomplete = incompleteSummary(prepared.failures.length, analysed.failed, taxonomy.unplaced);
    store.saveTaxonomy(taxonomy.root, taxonomy.assignments);
    await writeRunFiles({
      dir: out,
      taxonomy: taxonomy.root,
      // Texts are read one failure at a time, for the errors table: the run keeps just ids in memory.
      failures: store,
      analyses: analysed.analyses,
      analysisFailures: analysed.failed,
      assignments: taxonomy.assignments,
      reviews: readReviews(store.db),
    });

    finishRecord(record, analysed, taxonomy, meter);
    // Every file is in place: the run is finished, or incomplete with what is missing and why.
    if (incomplete) {
      record.status = 'incomplete';
      record.incomplete = incomplete;
    }
    // The record says finished only once every other file is in place.
    const finished = runDataFromStore(store, record, JSON.parse(JSON.stringify(taxonomy.root)) as TaxonomyNode, { texts: false });
    writeSignatureFiles(out, computeSignatures(finished, { groupings: DEFAULT_GROUPINGS }));
    writeRecord(out, record);
    return { dir: out, record, taxonomy: taxonomy.root, warnings };
  } catch (error) {
    // The run directory says the run failed and why; everything finished so far stays in the run database.
    const reported = judge && JudgeCallError.isInstance(error) && error.unavailable ? explainUnavailable(error, judge) : error;
    record.status = 'failed';
    record.error = excerpt(reported instanceof Error ? reported.message : String(reported), 1000);
    record.usage = meter.snapshot();
    if (replacing) writeRecord(out, record);
    throw reported;
  } finally {
    // A run that stops early still leaves every sampled failure saved (unless saving itself failed).
    await failuresSaved?.catch(() => {});
    if (store?.db.open) store.close();
    lock.release();
    // A judge that could not be reached at all leaves no new run directory behind (nothing was paid for).
    if (judgeUnavailable && newDirectory) rmSync(out, { recursive: true, force: true });
  }
}

/** What the check of the judge found: answered (the probe got an answer), a warning, or an unavailable judge. */
interface JudgeCheck {
  answered: boolean;
  warning?: string;
  unavailable?: Error;
}

/**
 * Before anything is created: building the judge checks its spec and key (a bad one throws here), and
 * a judge without a batch API is refused. A new run then sends one probe call, so a wrong key or address
 * stops the run before any analysis and leaves no directory behind; a resumed run finds out on its
 * first request, which createJudge sends alone. The promise never rejects, so a run that stops on bad
 * input meanwhile leaves no unhandled rejection.
 */
function startJudgeCheck(settings: RunSettings, meter: UsageMeter): Promise<JudgeCheck> {
  if (settings.judge.judge === OFFLINE_JUDGE) return Promise.resolve({ answered: false });
  const judgeOptions = judgeOptionsOf(settings.judge, meter);
  const uncached = createJudge(judgeOptions);
  if (settings.judge.batch) resolveBatchTarget(judgeOptions);
  if (existsSync(runFile(settings.output.out, 'database'))) return Promise.resolve({ answered: false });
  return probeJudge(uncached).then(
    (probe): JudgeCheck => (probe.ok ? { answered: true } : { answered: false, warning: probe.warning }),
    (error: unknown): JudgeCheck => ({ answered: false, unavailable: error instanceof Error ? error : new Error(String(error)) }),
  );
}

/** The judge client's options: the run's judge settings and the usage meter (the call cache is the run's). */
function judgeOptionsOf(s: RunSettings['judge'], meter: UsageMeter): JudgeOptions {
  return {
    spec: s.judge,
    baseUrl: s.baseUrl,
    apiKey: s.apiKey,
    concurrency: s.concurrency,
    maxRetries: s.maxRetries,
    timeoutMs: s.timeoutMs,
    temperature: s.temperature,
    structuredOutputs: s.structuredOutputs,
    reasoning: s.reasoning,
    price: s.price,
    meter,
    budgetUsd: s.budget,
  };
}

/** Records the budget in the run record and stops the run when it kept a call from being sent (the run resumes with a higher --budget). */
function stopIfBudgetReached(judge: CreatedJudge | undefined, record: RunRecord, done: string): void {
  const budget = judge?.budget;
  if (!budget) return;
  record.budget = { limitUsd: budget.limitUsd, spentUsd: budget.spent(), refusedCalls: budget.refused };
  if (budget.refused === 0) return;
  throw new ErrormapError(
    'BUDGET_REACHED',
    `--budget $${budget.limitUsd} reached (spent $${budget.spent().toFixed(4)} in this run directory): ${done}; run the same command with a higher --budget to go on from here`,
  );
}

/** No analysis at all means the judge is unusable (a provider outage, a wrong key): stop. Some missing: warn. */
function checkAnalysed(analysed: AnalyzeStageResult, warn: (message: string) => void): void {
  if (analysed.failed.length > 0 && analysed.analyses.length === 0) {
    throw new ErrormapError('JUDGE_UNAVAILABLE', `no failure could be analysed; the judge's first error: ${analysed.failed[0].reason}`);
  }
  if (analysed.failed.length > 0) {
    warn(
      `${analysed.failed.length} failure(s) could not be analysed (reasons in ${RUN_FILES.unanalysed}); run the same command again to retry them`,
    );
  }
}

function finishRecord(record: RunRecord, analysed: AnalyzeStageResult, taxonomy: TaxonomyStageResult, meter: UsageMeter): void {
  record.counts.analysed = analysed.analyses.length;
  record.counts.noError = analysed.analyses.filter((a) => !a.hasError).length;
  record.counts.analysisFailed = analysed.failed.length;
  record.counts.categories = countNodes(taxonomy.root) - 1;
  const ratings = collectRatings(taxonomy.root);
  if (ratings.length > 0) record.taxonomyRatings = ratings;
  record.usage = meter.snapshot();
  record.status = 'finished';
  record.finishedAt = new Date().toISOString();
}

function countNodes(node: TaxonomyNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}
