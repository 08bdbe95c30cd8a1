import type { CreatedJudge } from '../judge/index.js';
import type { JudgeTask } from '../judge/judge.js';
import { loadPrompt, type PromptTemplate } from '../prompts/prompt-loader.js';
import type { RunStore } from '../store/run-store.js';
import type { ProgressReporter } from './progress.js';

/** The prompt templates of one run: each loaded once, from the --prompts folder or the built-in ones. */
export interface StagePrompts {
  /** --prompts override folder, for code that loads its own templates (the taxonomy). */
  readonly dir?: string;
  get(task: JudgeTask): PromptTemplate;
}

export function stagePrompts(dir?: string): StagePrompts {
  const loaded = new Map<JudgeTask, PromptTemplate>();
  return {
    dir,
    get(task) {
      const template = loaded.get(task) ?? loadPrompt(task, dir);
      loaded.set(task, template);
      return template;
    },
  };
}

/** What every stage gets besides its input and its settings: `stage(input, settings slice, context)`. */
export interface StageContext {
  store: RunStore;
  /** Undefined offline (and in a dry run, which never calls). */
  judge?: CreatedJudge;
  prompts: StagePrompts;
  progress: ProgressReporter;
  /** A warning the run keeps in run.json, besides showing it. */
  warn(message: string): void;
}
