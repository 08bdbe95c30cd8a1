import { type CategoryDraft, type CategoryListRating, OTHER_NAME } from '../contracts/taxonomy-node.js';
import type { JudgeRequest } from '../judge/judge.js';
import { isRecordableCallFailure } from '../judge/judge.js';
import type { StageRuntime } from './context.js';
import { normaliseName } from './node-id.js';
import { categoriesBlock, countedTitlesBlock, type ParentContext, parentVars } from './prompt-vars.js';
import type { UniqueTitle } from './titles.js';
import { chunk } from './titles.js';

export interface GenerationRequest {
  /** Unique titles in the order they are shown (already shuffled). */
  titles: readonly UniqueTitle[];
  maxCategories: number;
  batchSize: number;
  parent?: ParentContext;
  /** For atlas extension: categories that exist already and must not be proposed again. */
  existing?: readonly CategoryDraft[];
  /** For progress and warnings. */
  nodeName: string;
  depth: number;
}

export interface GeneratedCategories {
  categories: CategoryDraft[];
  /** The update and review calls' ratings of the list, in call order. */
  ratings: CategoryListRating[];
}

type ListTask = 'taxonomy_generation' | 'taxonomy_update' | 'taxonomy_review';

/**
 * The paper's construction: generate categories from the first batch of titles, update the list with
 * each further batch, then review the final list; update and review also rate the list they receive.
 * A failed call keeps the list it had (and warns); a failed first generation yields no categories,
 * so every title of the node lands in Other.
 */
export async function generateCategories(req: GenerationRequest, rt: StageRuntime): Promise<GeneratedCategories> {
  const batches = chunk(req.titles, req.batchSize);
  const ratings: CategoryListRating[] = [];
  if (batches.length === 0) return { categories: [], ratings };
  const total = batches.length + 1;
  let done = 0;
  const progress = (task: ListTask) => rt.ctx.onProgress?.({ task, node: req.nodeName, depth: req.depth, done: ++done, total });
  const common = { ...parentVars(req.parent), max_categories: req.maxCategories };
  const where = `taxonomy at "${req.nodeName}"`;

  let categories: CategoryDraft[] = [];
  for (const [index, batch] of batches.entries()) {
    const titles = countedTitlesBlock(batch.map((t) => ({ title: t.title, count: t.failureIds.length })));
    const vars = { ...common, titles, title_count: batch.length };
    if (index === 0) {
      const request = rt.prompts.requestFor('taxonomy_generation', {
        ...vars,
        existing: req.existing?.length ? categoriesBlock(req.existing) : '',
      });
      const answer = await ask(rt, request, `${where}: generation failed, no categories here`);
      progress('taxonomy_generation');
      if (!answer) return { categories: [], ratings };
      categories = cleanCategories(answer.categories, req.existing);
    } else {
      const request = rt.prompts.requestFor('taxonomy_update', { ...vars, categories: categoriesBlock(categories) });
      const answer = await ask(rt, request, `${where}: update with batch ${index + 1} failed, kept the previous list`);
      progress('taxonomy_update');
      if (answer) {
        ratings.push(ratingOf('taxonomy_update', answer, index + 1));
        categories = cleanCategories(answer.categories, req.existing);
      }
    }
  }
  if (categories.length > 0) {
    const request = rt.prompts.requestFor('taxonomy_review', { ...common, categories: categoriesBlock(categories) });
    const answer = await ask(rt, request, `${where}: review failed, kept the unreviewed list`);
    progress('taxonomy_review');
    if (answer) ratings.push(ratingOf('taxonomy_review', answer));
    const reviewed = answer ? cleanCategories(answer.categories, req.existing) : [];
    if (reviewed.length > 0) categories = reviewed;
  }
  return { categories: categories.slice(0, req.maxCategories), ratings };
}

function ratingOf(
  task: CategoryListRating['task'],
  answer: { rating: number; explanation: string; suggestions: string },
  batch?: number,
): CategoryListRating {
  return {
    task,
    ...(batch === undefined ? {} : { batch }),
    rating: answer.rating,
    explanation: answer.explanation,
    suggestions: answer.suggestions,
  };
}

async function ask<T>(rt: StageRuntime, request: JudgeRequest<T>, onFailure: string): Promise<T | undefined> {
  try {
    return (await rt.ctx.judge.call(request)).value;
  } catch (e) {
    if (!isRecordableCallFailure(e)) throw e;
    rt.warnings.push(`${onFailure} (${e.reason})`);
    return undefined;
  }
}

/**
 * Names and descriptions single-spaced; "Other", duplicates (compared on the whole normalised name)
 * and categories that already exist are dropped. Names are never cut: two categories that share their
 * first words are different categories, and cutting them merged one into the other.
 */
export function cleanCategories(raw: readonly CategoryDraft[], existing: readonly CategoryDraft[] = []): CategoryDraft[] {
  const seen = new Set([normaliseName(OTHER_NAME), ...existing.map((c) => normaliseName(c.name))]);
  const out: CategoryDraft[] = [];
  for (const c of raw) {
    const name = c.name.trim().replace(/\s+/g, ' ');
    const key = normaliseName(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ name, description: c.description.trim().replace(/\s+/g, ' ') });
  }
  return out;
}
