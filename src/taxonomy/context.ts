import type { Judge, JudgeTask } from '../judge/judge.js';
import { loadPrompt, type PromptTemplate } from '../prompts/prompt-loader.js';

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
  /** --prompts override directory. */
  prompts?: string;
  onProgress?(event: TaxonomyProgress): void;
}

export interface TaxonomyPrompts {
  generation: PromptTemplate;
  update: PromptTemplate;
  review: PromptTemplate;
  classification: PromptTemplate;
}

export function loadTaxonomyPrompts(overrideDir?: string): TaxonomyPrompts {
  return {
    generation: loadPrompt('taxonomy_generation', overrideDir),
    update: loadPrompt('taxonomy_update', overrideDir),
    review: loadPrompt('taxonomy_review', overrideDir),
    classification: loadPrompt('error_classification', overrideDir),
  };
}

/** A failure the judge could not classify even after retries: reported, never filed under Other. */
export interface UnplacedFailure {
  failureId: string;
  reason: string;
}

/** Everything a stage step needs: the caller's context plus loaded prompts, a warning sink and the unplaced failures. */
export interface StageRuntime {
  ctx: TaxonomyContext;
  prompts: TaxonomyPrompts;
  warnings: string[];
  unplaced: UnplacedFailure[];
}

/** Unplaced failures in a fixed order (subtrees finish in any order). */
export function sortedUnplaced(unplaced: readonly UnplacedFailure[]): UnplacedFailure[] {
  return [...unplaced].sort((a, b) => (a.failureId < b.failureId ? -1 : a.failureId > b.failureId ? 1 : 0));
}
