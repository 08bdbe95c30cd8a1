import type { Judge, JudgeTask } from '../judge/judge.js';
import { loadPromptSet, type PromptSet } from '../prompts/prompt-set.js';

/** Progress of the taxonomy stage: one event per finished judge call. */
export interface TaxonomyProgress {
  task: JudgeTask;
  /** Name of the node being divided ("LLM Errors" at the root). */
  node: string;
  depth: number;
  /** Calls of this task finished at this node, and how many there are. */
  done: number;
  total: number;
}

export interface TaxonomyContext {
  judge: Judge;
  /** The run's prompts; the built-in ones when absent. */
  prompts?: PromptSet;
  onProgress?(event: TaxonomyProgress): void;
}

/** The judge tasks a taxonomy is built with. */
export const TAXONOMY_TASKS: readonly JudgeTask[] = ['taxonomy_generation', 'taxonomy_update', 'taxonomy_review', 'error_classification'];

/** Everything a stage step needs: the caller's context plus its prompts and a warning sink. */
export interface StageRuntime {
  ctx: TaxonomyContext;
  prompts: PromptSet;
  warnings: string[];
}

export function stageRuntime(ctx: TaxonomyContext, warnings: string[] = []): StageRuntime {
  return { ctx, prompts: ctx.prompts ?? loadPromptSet(undefined, TAXONOMY_TASKS), warnings };
}
