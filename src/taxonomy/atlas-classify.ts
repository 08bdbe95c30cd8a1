import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { atlasSkeleton } from './atlas-skeleton.js';
import type { TaxonomyInput, TaxonomyResult } from './build-taxonomy.js';
import { classifyTitles, OTHER, UNPLACED } from './classify-titles.js';
import { type StageRuntime, sortedUnplaced, stageRuntime, type TaxonomyContext } from './context.js';
import { placeFailures } from './placed.js';
import { assignmentsOf, finaliseTree, isOther, otherChild } from './populate.js';
import { resolveTaxonomySettings, type TaxonomySettings } from './settings.js';
import { type UniqueTitle, uniqueTitles } from './titles.js';

/**
 * Atlas mode: files failures into a fixed taxonomy, level by level (top level first, then the
 * children of the chosen category), without generating categories. The atlas keeps its ids; a title
 * that fits nothing at a level goes to that level's Other (reused when the atlas has one).
 */
export async function classifyIntoAtlas(
  input: TaxonomyInput,
  atlas: TaxonomyNode,
  settings: Partial<TaxonomySettings>,
  ctx: TaxonomyContext,
): Promise<TaxonomyResult> {
  const s = resolveTaxonomySettings(settings);
  const rt: StageRuntime = stageRuntime(ctx);
  const root = atlasSkeleton(atlas);
  const placedIds = new Set((input.placed ?? []).map((p) => p.failureId));
  const titles = uniqueTitles(input.failures.filter((f) => !placedIds.has(f.failureId)));
  if (titles.length > 0) {
    if (root.children.length === 0) otherChild(root);
    await fileInto(root, titles, s, rt);
  }
  placeFailures(root, input.placed ?? [], input.descriptions);
  finaliseTree(root, { sortByCount: false });
  return { root, assignments: assignmentsOf(root), warnings: rt.warnings, unplaced: sortedUnplaced(rt.unplaced) };
}

async function fileInto(node: TaxonomyNode, titles: readonly UniqueTitle[], s: TaxonomySettings, rt: StageRuntime): Promise<void> {
  if (node.children.length === 0) {
    node.failureIds = [...(node.failureIds ?? []), ...titles.flatMap((t) => t.failureIds)];
    return;
  }
  const options = node.children.filter((c) => !isOther(c));
  const choice = await classifyTitles(
    {
      titles,
      categories: options.map((c) => ({ name: c.name, description: c.description })),
      batchSize: s.classifyBatchSize,
      parent: node.depth > 0 ? { name: node.name, description: node.description } : undefined,
      nodeName: node.name,
      depth: node.depth,
    },
    rt,
  );
  const groups = new Map<TaxonomyNode, UniqueTitle[]>();
  for (const t of titles) {
    const index = choice.get(t.key) ?? OTHER;
    if (index === UNPLACED) continue;
    const target = index === OTHER ? otherChild(node) : options[index];
    const group = groups.get(target);
    if (group) group.push(t);
    else groups.set(target, [t]);
  }
  // Each branch collects its own warnings, appended in branch order, so parallelism cannot reorder them.
  const branches = [...groups.entries()].map(async ([child, members]) => {
    const sub: StageRuntime = { ...rt, warnings: [] };
    await fileInto(child, members, s, sub);
    return sub.warnings;
  });
  for (const warnings of await Promise.all(branches)) rt.warnings.push(...warnings);
}
