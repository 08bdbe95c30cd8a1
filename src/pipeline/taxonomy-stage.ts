import { createHash } from 'node:crypto';
import { categoryDescriptions } from '../analyze/offline-analyst.js';
import type { AnalysisOutcome } from '../contracts/analysis.js';
import { NO_ERROR_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { canonicalJson } from '../judge/call-key.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { Assignment } from '../store/run-store.js';
import { TAXONOMY_TASKS, type UnplacedFailure } from '../taxonomy/context.js';
import { buildTaxonomy, buildTreeFromPaths, classifyIntoAtlas, resolveTaxonomySettings, type TaxonomyProgress } from '../taxonomy/index.js';
import { toolVersion } from '../tool-version.js';
import type { StageContext } from './stage-context.js';

const NO_ERROR_DESCRIPTION =
  'The analysis found the output acceptable or blamed the benchmark (a wrong reference, an ambiguous question, a scoring slip): candidates for benchmark noise.';

export interface TaxonomyStageInput {
  analyses: AnalysisOutcome[];
  /** Atlas mode: the fixed taxonomy to classify into (read and checked before any call is paid for). */
  atlas?: TaxonomyNode;
}

export type TaxonomyStageSettings = Pick<RunSettings, 'taxonomy' | 'sampling' | 'judge'>;

export interface TaxonomyStageResult {
  root: TaxonomyNode;
  assignments: Assignment[];
  warnings: string[];
  /** Analysed failures classification could not place even after retries. */
  unplaced: UnplacedFailure[];
}

/**
 * Places every analysis in exactly one leaf: pre-placed ones (offline detectors, pre-check labels,
 * no error found) by their path, the rest by the judge-built taxonomy or a fixed atlas.
 */
export async function taxonomyStage(
  input: TaxonomyStageInput,
  settings: TaxonomyStageSettings,
  { judge, store, prompts, progress }: StageContext,
): Promise<TaxonomyStageResult> {
  const placed: { failureId: string; path: string[] }[] = [];
  const titled: { failureId: string; errorTitle: string; errorSummary: string }[] = [];
  for (const a of input.analyses) {
    if (a.fixedPath) placed.push({ failureId: a.failureId, path: a.fixedPath });
    else if (!a.hasError) placed.push({ failureId: a.failureId, path: [NO_ERROR_NAME] });
    else titled.push({ failureId: a.failureId, errorTitle: a.errorTitle, errorSummary: a.errorSummary });
  }
  const descriptions = { ...categoryDescriptions(), [NO_ERROR_NAME]: NO_ERROR_DESCRIPTION };

  if (!judge) {
    const built = buildTreeFromPaths(placed, descriptions);
    return { root: built.root, assignments: built.assignments, warnings: [], unplaced: [] };
  }
  // The whole stage is cached by everything it depends on, so an unchanged rerun skips it; a result
  // with warnings (a call failed) is not cached, so the next run tries those calls again.
  const key = stageKey(input, settings, judge.id, prompts, titled, placed);
  const cached = store.getStage<TaxonomyStageResult>(key);
  // Only results without warnings are cached, so a cached one has nothing unplaced.
  if (cached) return { ...cached, unplaced: [] };
  // Calls are found node by node, so no total is known ahead: the display shows the step and the calls done.
  const stage = progress.stage('taxonomy', undefined, 'calls');
  const onProgress = (e: TaxonomyProgress) => {
    stage.step?.(stepName(e));
    stage.tick();
  };
  const algorithm = taxonomySettingsOf(settings);
  const ctx = { judge, prompts, onProgress };
  const result = input.atlas
    ? await classifyIntoAtlas({ failures: titled, placed, descriptions }, input.atlas, algorithm, ctx)
    : await buildTaxonomy({ failures: titled, placed, descriptions }, algorithm, ctx);
  stage.done();
  if (result.warnings.length === 0) store.putStage(key, 'taxonomy', result);
  return result;
}

const TASK_STEPS: Record<string, string> = {
  taxonomy_generation: 'proposing categories',
  taxonomy_update: 'updating categories',
  taxonomy_review: 'reviewing categories',
  error_classification: 'classifying errors',
};

/** "level 2: classifying errors": the category level being built (the root's children are level 1) and the task. */
function stepName(e: TaxonomyProgress): string {
  return `level ${e.depth + 1}: ${TASK_STEPS[e.task] ?? e.task}`;
}

function taxonomySettingsOf({ taxonomy, sampling }: TaxonomyStageSettings) {
  const { taxonomyFile: _atlas, ...tree } = taxonomy;
  return resolveTaxonomySettings({ ...tree, seed: sampling.seed });
}

function stageKey(
  input: TaxonomyStageInput,
  settings: TaxonomyStageSettings,
  judgeId: string,
  prompts: PromptSet,
  titled: unknown[],
  placed: unknown[],
): string {
  const { maxDepth, maxCategories, minShare } = settings.taxonomy;
  const payload = {
    judge: judgeId,
    // Everything else that decides the judge's answers (temperature, output mode, reasoning effort).
    judgeParameters: {
      temperature: settings.judge.temperature,
      structuredOutputs: settings.judge.structuredOutputs,
      reasoning: settings.judge.reasoning,
    },
    settings: { maxDepth, maxCategories, minShare, seed: settings.sampling.seed },
    prompts: TAXONOMY_TASKS.map((task) => prompts.versions[task]),
    atlas: input.atlas,
    // A new errormap version may build taxonomies differently: never reuse an older version's result.
    tool: toolVersion(),
    algorithm: taxonomySettingsOf(settings),
    titled,
    placed,
  };
  return `taxonomy:${createHash('sha256').update(canonicalJson(payload)).digest('hex')}`;
}
