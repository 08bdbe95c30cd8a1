import { JudgeCallError } from '../judge/judge.js';
import type { StageRuntime } from './context.js';
import { normaliseName } from './node-id.js';
import { categoriesBlock, numberedTitlesBlock, type ParentContext, parentVars } from './prompt-vars.js';
import { chunk, type UniqueTitle } from './titles.js';
import { type CategoryDraft, OTHER_NAME } from './tree.js';

/** Index into the category list, or OTHER when nothing fits. */
export const OTHER = -1;

export interface ClassificationRequest {
  titles: readonly UniqueTitle[];
  categories: readonly CategoryDraft[];
  batchSize: number;
  parent?: ParentContext;
  nodeName: string;
  depth: number;
}

/**
 * Assigns every title exactly one category (by index) or OTHER, in parallel batches. Unknown category
 * names, titles the judge leaves out and titles of a failed call all land in OTHER; the reasons
 * become warnings, so no title is ever lost.
 */
export async function classifyTitles(req: ClassificationRequest, rt: StageRuntime): Promise<Map<string, number>> {
  const result = new Map<string, number>(req.titles.map((t) => [t.key, OTHER]));
  if (req.categories.length === 0) return result;
  const index = new Map(req.categories.map((c, i) => [normaliseName(c.name), i]));
  const other = normaliseName(OTHER_NAME);
  const categories = categoriesBlock([
    ...req.categories,
    { name: OTHER_NAME, description: 'None of the categories above fits the error.' },
  ]);
  const batches = chunk(req.titles, req.batchSize);
  let done = 0;
  let unknown = 0;
  let omitted = 0;
  // Kept per batch and pushed in batch order afterwards, so warnings do not depend on arrival order.
  const failed: (string | undefined)[] = [];

  await Promise.all(
    batches.map(async (batch, b) => {
      const request = rt.prompts.requestFor('error_classification', {
        ...parentVars(req.parent),
        categories,
        titles: numberedTitlesBlock(batch.map((t) => t.title)),
      });
      try {
        const { value } = await rt.ctx.judge.call(request);
        const answered = new Set<number>();
        for (const a of value.assignments) {
          const title = batch[a.id - 1];
          if (!title || answered.has(a.id)) continue;
          answered.add(a.id);
          const name = normaliseName(a.category);
          const chosen = index.get(name);
          if (chosen !== undefined) result.set(title.key, chosen);
          else if (name !== other) unknown++;
        }
        omitted += batch.length - answered.size;
      } catch (e) {
        if (!JudgeCallError.isInstance(e)) throw e;
        failed[b] =
          `classification at "${req.nodeName}", batch ${b + 1}: call failed, its ${batch.length} titles went to Other (${e.reason})`;
      }
      rt.ctx.onProgress?.({ task: 'error_classification', node: req.nodeName, depth: req.depth, done: ++done, total: batches.length });
    }),
  );
  for (const w of failed) if (w) rt.warnings.push(w);
  if (unknown > 0) rt.warnings.push(`classification at "${req.nodeName}": ${unknown} titles got an unknown category and went to Other`);
  if (omitted > 0) rt.warnings.push(`classification at "${req.nodeName}": the judge left out ${omitted} titles; they went to Other`);
  return result;
}
