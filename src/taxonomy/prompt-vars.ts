import type { CategoryDraft } from '../contracts/taxonomy-node.js';
import { promptJson } from '../prompts/prompt-data.js';

/** Pre-formatted blocks for the taxonomy prompts: one JSON-encoded item per line (see promptJson). */

export interface ParentContext {
  name: string;
  description: string;
}

export function parentVars(parent?: ParentContext): { parent_name: string; parent_description: string } {
  if (!parent) return { parent_name: '', parent_description: '' };
  return { parent_name: promptJson(parent.name), parent_description: promptJson(parent.description) };
}

export function categoriesBlock(categories: readonly CategoryDraft[]): string {
  return categories.map((c) => promptJson({ name: c.name, description: c.description })).join('\n');
}

/** Titles with how many failures carry each, for generation and update. */
export function countedTitlesBlock(titles: readonly { title: string; count: number }[]): string {
  return titles.map((t) => `${promptJson(t.title)} ×${t.count}`).join('\n');
}

/** Numbered titles for classification; the judge answers with the numbers (1-based). */
export function numberedTitlesBlock(titles: readonly string[]): string {
  return titles.map((t, i) => `${i + 1}. ${promptJson(t)}`).join('\n');
}
