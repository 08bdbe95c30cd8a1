import { z } from 'zod';

/** Response schemas of the taxonomy tasks. Limits the code also enforces are stated for the judge here. */

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
