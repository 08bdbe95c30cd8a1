import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { Judge } from '../judge/judge.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import type { RunData } from '../store/run-data.js';
import { buildTaxonomy } from '../taxonomy/build-taxonomy.js';
import { TAXONOMY_TASKS } from '../taxonomy/context.js';
import type { TitledFailure } from '../taxonomy/titles.js';
import { seededSample } from './seeded-order.js';

export interface RebuildSettings {
  /** Share of the run's analysed errors the second taxonomy is built from (the paper's check: 0.1). */
  ratio: number;
  seed: number;
  /** The run's taxonomy shape, so only the sample (and the prompts, when given) differ. */
  maxDepth?: number;
  maxCategories?: number;
  /** --prompts DIR: build the second taxonomy with other prompts (the paper's prompt-variation check). */
  promptsDir?: string;
}

export interface RebuiltTaxonomy {
  root: TaxonomyNode;
  /** Failures the second taxonomy was built from, out of the run's analysed errors. */
  sampled: number;
  of: number;
  warnings: string[];
}

/** The seeded sample of analysed failures with an error that a rebuild starts from: ceil(ratio × n), at least one. */
export function rebuildSample(run: Pick<RunData, 'failures'>, ratio: number, seed: number): TitledFailure[] {
  const errors = run.failures.filter((f) => f.analysis?.hasError === true);
  const k = errors.length === 0 ? 0 : Math.max(1, Math.ceil(ratio * errors.length - 1e-9));
  return seededSample(errors, k, seed, 'rebuild.sample', (f) => f.id).map((f) => ({
    failureId: f.id,
    errorTitle: f.analysis?.errorTitle ?? '',
    errorSummary: f.analysis?.errorSummary ?? '',
  }));
}

/** A second taxonomy of the same run, built by the method from a seeded sample of its errors. */
export async function rebuildTaxonomy(run: Pick<RunData, 'failures'>, settings: RebuildSettings, judge: Judge): Promise<RebuiltTaxonomy> {
  const sample = rebuildSample(run, settings.ratio, settings.seed);
  const built = await buildTaxonomy(
    { failures: sample },
    { seed: settings.seed, maxDepth: settings.maxDepth, maxCategories: settings.maxCategories },
    { judge, prompts: loadPromptSet(settings.promptsDir, TAXONOMY_TASKS) },
  );
  return {
    root: built.root,
    sampled: sample.length,
    of: run.failures.filter((f) => f.analysis?.hasError === true).length,
    warnings: built.warnings,
  };
}
