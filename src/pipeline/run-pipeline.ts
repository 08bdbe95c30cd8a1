import type { Finding } from '../detect/finding.js';
import { detectFailure } from '../detect/run-detectors.js';
import type { PredictionOutcome } from '../ingest/prediction.js';
import { readInputs } from '../ingest/read-inputs.js';
import { type CreatedJudge, createJudge, type JudgeOptions, UsageMeter } from '../judge/index.js';
import { prepare } from '../prepare/prepare.js';
import { isReference } from '../prepare/reference-pool.js';
import { loadPrompt } from '../prompts/prompt-loader.js';
import { computeSignatures, DEFAULT_GROUPINGS } from '../chart/signatures.js';
import { writeRunFiles, writeRunRecord } from '../report/run-files.js';
import { writeSignatureFiles } from '../report/signature-files.js';
import { loadRunData } from '../store/run-data.js';
import { toolVersion } from '../tool-version.js';
import type { RunRecord } from '../store/run-record.js';
import { RUN_FORMAT_VERSION } from '../store/run-record.js';
import { RunStore } from '../store/run-store.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';
import { runAnalyzeStage } from './analyze-stage.js';
import type { ProgressReporter } from './progress.js';
import { silentProgress } from './progress.js';
import type { RunSettings } from './run-settings.js';
import { OFFLINE_JUDGE, publicSettings } from './run-settings.js';
import { runTaxonomyStage } from './taxonomy-stage.js';

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
  const store = RunStore.open(settings.out);
  const meter = context.meter ?? new UsageMeter();
  try {
    const record: RunRecord = {
      formatVersion: RUN_FORMAT_VERSION,
      status: 'running',
      tool: { name: 'errormap', version: toolVersion() },
      startedAt: new Date().toISOString(),
      settings: publicSettings(settings),
      judge: settings.judge,
      offline,
      inputs: [],
      counts: { predictions: 0, failures: 0, sampled: 0, analysed: 0, noError: 0, analysisFailed: 0, categories: 0 },
      usage: {},
      promptVersions: {},
    };

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
    writeRunRecord(settings.out, record);

    // Predictions stream into the run database; only their outcomes (no texts) stay in memory.
    const ingest = progress.stage('read', 0);
    const outcomes: PredictionOutcome[] = [];
    const read = await store.insertPredictionStream(
      readInputs(settings.inputs, {
        format: settings.format,
        metric: settings.metric,
        filter: settings.filter,
        onInput: (input) => record.inputs.push(input),
      }),
      (p) => outcomes.push({ dataset: p.dataset, exampleId: p.exampleId, model: p.model, score: p.score, analysable: p.analysable }),
    );
    ingest.done(`${read} predictions from ${record.inputs.length} input(s)`);

    const prepared = prepare(outcomes, {
      thresholds: settings.thresholds,
      ratio: settings.ratio,
      seed: settings.seed,
      maxErrors: settings.maxErrors,
      models: settings.models,
    });
    store.savePreparation(prepared.failures, prepared.population);
    const failures = store.failures();
    const referencePool = store.referencePool(prepared.thresholds);
    record.counts.predictions = read;
    record.counts.failures = prepared.population.reduce((n, p) => n + p.failures, 0);
    record.counts.sampled = failures.length;
    progress.info(`${record.counts.failures} failures; analysing a sample of ${failures.length} (ratio ${settings.ratio}, seed ${settings.seed})`);
    if (prepared.unanalysable.length) progress.warn(`${prepared.unanalysable.length} failing predictions have no text to analyse and are skipped`);
    for (const dataset of prepared.unusedThresholds) progress.warn(`--threshold names dataset "${dataset}", which is not in the inputs`);

    const findings = new Map<string, Finding[]>();
    for (const failure of failures) {
      const sameExample = referencePool.allFor(failure.dataset, failure.exampleId);
      const references = sameExample.filter((p) => p.model !== failure.model && isReference(p, prepared.thresholds));
      findings.set(failure.id, detectFailure({ failure, references, sameExample, answerFormat: settings.answerFormats[failure.dataset] }));
    }
    store.replaceFindings(findings);

    const template = judge ? loadPrompt('error_analysis', settings.promptsDir) : undefined;
    if (template) record.promptVersions.error_analysis = template.version;
    const analysed = await runAnalyzeStage(
      {
        failures,
        findings,
        referencePool,
        judge,
        template,
        settings: { maxReferences: settings.maxReferences, textBudget: settings.textBudget, precheck: settings.precheck, seed: settings.seed },
        batch: settings.batch ? { judgeOptions, pollSeconds: settings.batchPollSeconds } : undefined,
      },
      store,
      progress,
    );
    if (judge && settings.precheck === 'label') record.precheck = analysed.precheck;

    const taxonomy = await runTaxonomyStage(
      {
        analyses: analysed.analyses,
        judge,
        judgeParameters: { temperature: settings.temperature, structuredOutputs: settings.structuredOutputs },
        cache: store,
        promptsDir: settings.promptsDir,
        taxonomyFile: settings.taxonomyFile,
        settings: { maxDepth: settings.maxDepth, maxCategories: settings.maxCategories, minShare: settings.minShare, seed: settings.seed },
      },
      progress,
    );
    for (const w of taxonomy.warnings) progress.warn(w);
    store.saveTaxonomy(taxonomy.root, taxonomy.assignments);
    await writeRunFiles({
      dir: settings.out,
      taxonomy: taxonomy.root,
      failures,
      analyses: analysed.analyses,
      analysisFailures: analysed.failed,
      assignments: taxonomy.assignments,
    });

    record.counts.analysed = analysed.analyses.length;
    record.counts.noError = analysed.analyses.filter((a) => !a.hasError).length;
    record.counts.analysisFailed = analysed.failed.length;
    record.counts.categories = countNodes(taxonomy.root) - 1;
    record.usage = meter.snapshot();
    for (const task of ['taxonomy_generation', 'taxonomy_update', 'taxonomy_review', 'error_classification'] as const) {
      if (judge) record.promptVersions[task] = loadPrompt(task, settings.promptsDir).version;
    }
    record.status = 'finished';
    record.finishedAt = new Date().toISOString();
    writeRunRecord(settings.out, record);
    store.close();
    writeSignatureFiles(settings.out, computeSignatures(loadRunData(settings.out), { groupings: DEFAULT_GROUPINGS }));
    return { dir: settings.out, record, taxonomy: taxonomy.root, warnings: taxonomy.warnings };
  } finally {
    if (store.db.open) store.close();
  }
}

function countNodes(node: TaxonomyNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}
