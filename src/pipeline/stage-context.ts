import type { CreatedJudge } from '../judge/index.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { RunStore } from '../store/run-store.js';
import type { ProgressReporter } from './progress.js';

/** What every stage gets besides its input and its settings: `stage(input, settings slice, context)`. */
export interface StageContext {
  store: RunStore;
  /** Undefined offline (and in a dry run, which never calls). */
  judge?: CreatedJudge;
  /** The run's prompt templates, loaded once; their versions go to the run record. */
  prompts: PromptSet;
  progress: ProgressReporter;
  /** A warning the run keeps in its record, besides showing it. */
  warn(message: string): void;
}
