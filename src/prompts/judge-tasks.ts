import type { z } from 'zod';
import type { JudgeTask } from '../judge/judge.js';
import {
  analysisCheckSchema,
  categoryChoiceSchema,
  categoryListSchema,
  classificationSchema,
  errorAnalysisSchema,
  probeSchema,
} from './response-schemas.js';

/**
 * Every judge task errormap sends. A task's prompt is the pair prompts/<task>.system.njk and
 * prompts/<task>.user.njk; its variables are typed in TaskVars (every string is data and is escaped by
 * requestFor); its answer is validated against `schema`. Adding a task: one row here, one TaskVars
 * entry, two .njk files.
 */
export const JUDGE_TASKS = {
  error_analysis: { schema: errorAnalysisSchema, purpose: 'criteria, grades and first major error of one failure' },
  taxonomy_generation: { schema: categoryListSchema, purpose: 'categories from the first batch of error titles' },
  taxonomy_update: { schema: categoryListSchema, purpose: 'the category list revised with a further batch of titles' },
  taxonomy_review: { schema: categoryListSchema, purpose: 'the final category list merged and tidied' },
  error_classification: { schema: classificationSchema, purpose: 'one category (or Other) per numbered title' },
  category_choice: { schema: categoryChoiceSchema, purpose: 'validate: which of two categories fits a failure better' },
  analysis_check: { schema: analysisCheckSchema, purpose: 'validate: is a failure analysis accurate' },
  judge_probe: { schema: probeSchema, purpose: 'run: one cheap call that checks key, address and model before any work' },
} as const satisfies Record<JudgeTask, { schema: z.ZodType; purpose: string }>;

export const ALL_JUDGE_TASKS = Object.keys(JUDGE_TASKS) as JudgeTask[];

export type TaskAnswer<T extends JudgeTask> = z.infer<(typeof JUDGE_TASKS)[T]['schema']>;

/** The node being divided, JSON-encoded (promptJson); both empty at the root. */
interface ParentVars {
  parent_name: string;
  parent_description: string;
}

interface FailureVars {
  input_text: string;
  output_text: string;
  reference: string;
  error_title: string;
  error_summary: string;
  has_error: boolean;
}

/** The variables each task's templates read. Blocks of titles or categories come pre-formatted. */
export interface TaskVars {
  error_analysis: {
    input_text: string;
    reference: string;
    correct_outputs: string[];
    output_text: string;
    hints: string;
    grader_note: string;
  };
  taxonomy_generation: ParentVars & { max_categories: number; titles: string; title_count: number; existing: string };
  taxonomy_update: ParentVars & { max_categories: number; titles: string; title_count: number; categories: string };
  taxonomy_review: ParentVars & { max_categories: number; categories: string };
  error_classification: ParentVars & { categories: string; titles: string };
  category_choice: FailureVars & {
    option_a_name: string;
    option_a_description: string;
    option_a_parent: string;
    option_b_name: string;
    option_b_description: string;
    option_b_parent: string;
  };
  analysis_check: FailureVars;
  judge_probe: Record<string, never>;
}
