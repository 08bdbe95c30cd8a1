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

/** A failure the judge could not classify even after retries: reported, never filed under Other. */
export interface UnplacedFailure {
  failureId: string;
  reason: string;
}

/** Everything a stage step needs: the caller's context plus its prompts, a warning sink and the unplaced failures. */
export interface StageRuntime {
  ctx: TaxonomyContext;
  prompts: PromptSet;
  warnings: string[];
  unplaced: UnplacedFailure[];
}

/** Unplaced failures in a fixed order (subtrees finish in any order). */
export function sortedUnplaced(unplaced: readonly UnplacedFailure[]): UnplacedFailure[] {
  return [...unplaced].sort((a, b) => (a.failureId < b.failureId ? -1 : a.failureId > b.failureId ? 1 : 0));
}

export function stageRuntime(ctx: TaxonomyContext, warnings: string[] = []): StageRuntime {
  return { ctx, prompts: ctx.prompts ?? loadPromptSet(undefined, TAXONOMY_TASKS), warnings, unplaced: [] };
}
