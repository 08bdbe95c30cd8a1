import { z } from 'zod';
import type { Criterion } from '../contracts/analysis.js';

/**
 * The answer of every judge task, as zod schemas (the JSON schema sent to the judge is generated from
 * them). Limits the code also enforces are stated for the judge here.
 */

export const criterionSchema = z.object({
  criterion: z.string().describe('A requirement a correct answer must meet'),
  present: z.boolean().describe('Whether the output attempts this requirement'),
  quality: z.enum(['correct', 'partially correct', 'incorrect']),
  evidence: z.string().describe('Short verbatim quote from the output, or empty'),
  comment: z.string(),
}) satisfies z.ZodType<Criterion>; // the judge's answer is the contract's record: drift stops the build
export type { Criterion };

/** error_analysis: the criteria, their grades and the first major error of one failure. */
export const errorAnalysisSchema = z.object({
  criteria: z.array(criterionSchema).min(1),
  has_error: z.boolean().describe('False when the output is actually correct or the error is in the benchmark'),
  error_title: z.string().trim().min(1).describe('Short name of the first major error, naming the skill that failed'),
  error_summary: z.string().trim().min(1).describe('One to three sentences on what went wrong first and why it matters'),
});
export type ErrorAnalysisAnswer = z.infer<typeof errorAnalysisSchema>;

export const categorySchema = z.object({
  name: z.string().trim().min(1).max(120).describe('At most five words, naming one skill that failed (e.g. "Unit Conversion Error")'),
  description: z.string().trim().describe('One sentence saying which errors belong here'),
});

/** taxonomy_generation, taxonomy_update and taxonomy_review all answer with the full category list. */
export const categoryListSchema = z.object({
  categories: z.array(categorySchema).min(1).describe('The complete list of categories, most common first'),
});
export type CategoryListAnswer = z.infer<typeof categoryListSchema>;

/**
 * taxonomy_update and taxonomy_review also rate the list they were given, as the reference asks:
 * the rating and its explanation come before the list, so the judge assesses before it rewrites.
 */
export const ratedCategoryListSchema = z.object({
  rating: z.number().int().min(0).max(100).describe('0–100: how well the given categories cover the errors without overlap'),
  explanation: z.string().trim().describe('Two or three sentences explaining the rating'),
  suggestions: z.string().trim().describe('The changes that would improve the list (applied in the categories below)'),
  categories: categoryListSchema.shape.categories,
});
export type RatedCategoryListAnswer = z.infer<typeof ratedCategoryListSchema>;

/** error_classification: one category per numbered title. */
export const classificationSchema = z.object({
  assignments: z
    .array(
      z.object({
        id: z.number().int().describe('The number of the error title in the list'),
        category: z.string().describe('Exactly one category name from the list, or "Other"'),
      }),
    )
    .describe('One entry per error title'),
});
export type ClassificationAnswer = z.infer<typeof classificationSchema>;

/** category_choice (`errormap validate`): which of two categories fits a failure better. */
export const categoryChoiceSchema = z.object({
  reasoning: z.string().describe('One or two sentences comparing the two categories against the error'),
  choice: z.enum(['A', 'B']).describe('The letter of the category that fits the error better'),
});
export type CategoryChoiceAnswer = z.infer<typeof categoryChoiceSchema>;

/** analysis_check (`errormap validate`): is a per-failure analysis accurate. */
export const analysisCheckSchema = z.object({
  reasoning: z.string().describe('One to three sentences checking the analysis against the input, output and reference'),
  accurate: z.boolean().describe('True when the error title and summary correctly describe what went wrong in the output'),
});
export type AnalysisCheckAnswer = z.infer<typeof analysisCheckSchema>;

/** category_match (`errormap validate`): do two categories of two taxonomies name the same failed skill. */
export const categoryMatchSchema = z.object({
  reasoning: z.string().describe('One or two sentences comparing what errors each category holds'),
  equivalent: z.boolean().describe('True when the same errors would be filed in both categories'),
});
export type CategoryMatchAnswer = z.infer<typeof categoryMatchSchema>;

/** judge_probe: the one-field answer of the connection check before a run. */
export const probeSchema = z.object({ ok: z.boolean() });
