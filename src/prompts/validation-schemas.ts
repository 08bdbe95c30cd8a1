import { z } from 'zod';

/** Response schemas of the validation tasks (`errormap validate`). */

/** category_choice: which of two categories fits a failure better. */
export const categoryChoiceSchema = z.object({
  reasoning: z.string().describe('One or two sentences comparing the two categories against the error'),
  choice: z.enum(['A', 'B']).describe('The letter of the category that fits the error better'),
});
export type CategoryChoiceAnswer = z.infer<typeof categoryChoiceSchema>;

/** analysis_check: is a per-failure analysis accurate. */
export const analysisCheckSchema = z.object({
  reasoning: z.string().describe('One to three sentences checking the analysis against the input, output and reference'),
  accurate: z.boolean().describe('True when the error title and summary correctly describe what went wrong in the output'),
});
export type AnalysisCheckAnswer = z.infer<typeof analysisCheckSchema>;

/** category_match: do two categories of two taxonomies name the same failed skill. */
export const categoryMatchSchema = z.object({
  reasoning: z.string().describe('One or two sentences comparing what errors each category holds'),
  equivalent: z.boolean().describe('True when the same errors would be filed in both categories'),
});
export type CategoryMatchAnswer = z.infer<typeof categoryMatchSchema>;
