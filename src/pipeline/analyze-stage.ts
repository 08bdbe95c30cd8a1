import type { Analysis, AnalysisFailure } from '../analyze/analysis.js';
import { analyzeWithJudge, isAnalysis } from '../analyze/judge-analyst.js';
import { offlineAnalysis } from '../analyze/offline-analyst.js';
import { estimateJudgeTokens, precheckHint, precheckLabel } from '../analyze/precheck.js';
import type { Finding } from '../detect/finding.js';
import type { Judge } from '../judge/judge.js';
import type { Failure, ReferencePool } from '../prepare/failure.js';
import { chooseReferences } from '../prepare/reference-pool.js';
import type { PromptTemplate } from '../prompts/prompt-loader.js';
import type { RunStore } from '../store/run-store.js';
import type { ProgressReporter } from './progress.js';
import type { PrecheckMode } from './run-settings.js';

export interface AnalyzeStageInput {
  failures: Failure[];
  findings: Map<string, Finding[]>;
  referencePool: ReferencePool;
  /** Undefined in offline mode. */
  judge?: Judge;
  template?: PromptTemplate;
  settings: { maxReferences: number; textBudget: number; precheck: PrecheckMode; seed: number };
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
  const { failures, findings, judge, template, settings } = input;
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

  await Promise.all(
    failures.map(async (failure) => {
      const found = findings.get(failure.id) ?? [];
      if (!judge || !template) return record(offlineAnalysis(failure, found));
      const references = chooseReferences(input.referencePool, failure, settings.maxReferences, settings.seed);
      if (settings.precheck === 'label') {
        const labelled = precheckLabel(failure, found);
        if (labelled) {
          precheck.filed += 1;
          precheck.callsSaved += 1;
          precheck.estimatedTokensSaved += estimateJudgeTokens(failure, references);
          return record(labelled);
        }
      }
      const hints = settings.precheck === 'off' ? undefined : precheckHint(found);
      record(await analyzeWithJudge(judge, template, { failure, references, hints }, { textBudget: settings.textBudget }));
    }),
  );
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
