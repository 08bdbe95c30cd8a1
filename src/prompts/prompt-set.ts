import type { z } from 'zod';
import type { JudgeRequest, JudgeTask } from '../judge/judge.js';
import { ALL_JUDGE_TASKS, JUDGE_TASKS, type TaskAnswer, type TaskVars } from './judge-tasks.js';
import { asData } from './prompt-data.js';
import { loadPrompt, type PromptTemplate } from './prompt-loader.js';

/** The prompts of one run, loaded once: every judge request of the run is built here. */
export interface PromptSet {
  /** Version of each loaded task's templates: recorded in the run record and in stage cache keys. */
  readonly versions: Readonly<Partial<Record<JudgeTask, string>>>;
  /** The request for one task: its templates rendered with `vars` (every string escaped as data) and its schema. */
  requestFor<T extends JudgeTask>(task: T, vars: TaskVars[T]): JudgeRequest<TaskAnswer<T>>;
}

function escapeStrings(vars: object, tags: readonly string[]): Record<string, unknown> {
  const escapeValue = (v: unknown): unknown => (typeof v === 'string' ? asData(v, tags) : Array.isArray(v) ? v.map(escapeValue) : v);
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, escapeValue(v)]));
}

/**
 * Loads the templates of `tasks` (all by default); `overrideDir` (--prompts DIR) replaces any template
 * file it contains.
 */
export function loadPromptSet(overrideDir?: string, tasks: readonly JudgeTask[] = ALL_JUDGE_TASKS): PromptSet {
  const templates = new Map<JudgeTask, PromptTemplate>(tasks.map((task) => [task, loadPrompt(task, overrideDir)]));
  return {
    versions: Object.fromEntries([...templates].map(([task, t]) => [task, t.version])),
    requestFor<T extends JudgeTask>(task: T, vars: TaskVars[T]): JudgeRequest<TaskAnswer<T>> {
      const template = templates.get(task);
      if (!template) throw new Error(`bug: the prompt set was loaded without the ${task} task`);
      const { system, user } = template.render(escapeStrings(vars, template.tags));
      // TypeScript cannot narrow the table row by a generic key; the row is the schema of `task` by construction.
      const schema = JUDGE_TASKS[task].schema as unknown as z.ZodType<TaskAnswer<T>>;
      return { task, system, user, schema };
    },
  };
}
