import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { atlasSkeleton, collectIds } from './atlas-skeleton.js';
import { type StageRuntime, stageRuntime, type TaxonomyContext } from './context.js';
import { generateCategories } from './generate-categories.js';
import { stableNodeId } from './node-id.js';
import { finaliseTree, isOther } from './populate.js';
import { maxCategoriesFor, resolveTaxonomySettings, type TaxonomySettings } from './settings.js';
import { failureCount, nodeSeed, seededShuffle, type TitledFailure, uniqueTitles } from './titles.js';

export const DEFAULT_EXTEND_THRESHOLD = 0.15;

export interface ExtendSettings extends Partial<TaxonomySettings> {
  /** Extend only when the top-level Other holds more than this share of the failures. */
  threshold?: number;
}

export interface ExtendResult {
  atlas: TaxonomyNode;
  /** The new top-level categories (already in `atlas`). */
  added: TaxonomyNode[];
  /** Share of the top-level Other in the given taxonomy. */
  otherShare: number;
  warnings: string[];
}

/**
 * Grows an atlas when too much lands in its top-level Other: new top-level categories are proposed
 * from Other's titles with the generation prompt, told which categories exist already. Existing
 * nodes keep their ids; new ones get ids derived from the root id and their names.
 */
export async function extendAtlas(
  atlas: TaxonomyNode,
  otherTitles: readonly TitledFailure[],
  settings: ExtendSettings,
  ctx: TaxonomyContext,
): Promise<ExtendResult> {
  const s = resolveTaxonomySettings(settings);
  const threshold = settings.threshold ?? DEFAULT_EXTEND_THRESHOLD;
  const other = atlas.children.find(isOther);
  const otherShare = other && atlas.count > 0 ? other.count / atlas.count : 0;
  const extended = atlasSkeleton(atlas);
  const warnings: string[] = [];
  const titles = uniqueTitles(otherTitles);
  if (otherShare <= threshold || titles.length === 0) {
    return { atlas: finaliseTree(extended, { sortByCount: false }), added: [], otherShare, warnings };
  }

  const rt: StageRuntime = stageRuntime(ctx, warnings);
  const existing = extended.children.filter((c) => !isOther(c)).map((c) => ({ name: c.name, description: c.description }));
  const { categories: proposed } = await generateCategories(
    {
      titles: seededShuffle(titles, nodeSeed(s.seed, `${extended.id}\u0000extend`)),
      maxCategories: maxCategoriesFor(failureCount(titles), s.maxCategories),
      batchSize: s.batchSize,
      existing,
      nodeName: other?.name ?? 'Other',
      depth: 0,
    },
    rt,
  );
  const used = collectIds(extended);
  const added = proposed.map((c) => {
    let salt = 0;
    let id = stableNodeId(extended.id, c.name);
    while (used.has(id)) id = stableNodeId(extended.id, c.name, ++salt);
    used.add(id);
    return { id, name: c.name, description: c.description, depth: 1, count: 0, share: 0, children: [] } satisfies TaxonomyNode;
  });
  // New categories go before Other, which stays last.
  const otherIndex = extended.children.findIndex(isOther);
  extended.children.splice(otherIndex < 0 ? extended.children.length : otherIndex, 0, ...added);
  return { atlas: finaliseTree(extended, { sortByCount: false }), added, otherShare, warnings };
}
