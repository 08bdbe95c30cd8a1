import { ROOT_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { classifyTitles, OTHER, UNPLACED } from './classify-titles.js';
import { type StageRuntime, sortedUnplaced, stageRuntime, type TaxonomyContext, type UnplacedFailure } from './context.js';
import { generateCategories } from './generate-categories.js';
import { ROOT_ID } from './node-id.js';
import { type PlacedFailure, placeFailures } from './placed.js';
import { assignmentsOf, finaliseTree, newNode, otherChild, type TaxonomyAssignment } from './populate.js';
import { maxCategoriesFor, resolveTaxonomySettings, type TaxonomySettings } from './settings.js';
import { failureCount, nodeSeed, seededShuffle, type TitledFailure, type UniqueTitle, uniqueTitles } from './titles.js';

export interface TaxonomyInput {
  /** Analysed failures with an error (has_error true): classified by their titles. */
  failures: readonly TitledFailure[];
  /** Failures with a known category path; they skip generation and classification. */
  placed?: readonly PlacedFailure[];
  /** Descriptions of the category names used in `placed`. */
  descriptions?: Record<string, string>;
}

export interface TaxonomyResult {
  root: TaxonomyNode;
  assignments: TaxonomyAssignment[];
  /** Calls that failed and what was done instead; titles are never lost. */
  warnings: string[];
  /** Failures left out of the tree because classification kept failing; the run is then incomplete. */
  unplaced: UnplacedFailure[];
}

export const ROOT_DESCRIPTION = 'All analysed errors.';

export function newRoot(): TaxonomyNode {
  return { id: ROOT_ID, name: ROOT_NAME, description: ROOT_DESCRIPTION, depth: 0, count: 0, share: 1, children: [] };
}

/**
 * Stage 2 of ErrorMap: builds the error taxonomy from the failures' titles (generate → update… →
 * review, classify, populate, recurse), then files the pre-placed failures. Given the same judge
 * answers, the result is the same whatever order the calls finish in.
 */
export async function buildTaxonomy(
  input: TaxonomyInput,
  settings: Partial<TaxonomySettings>,
  ctx: TaxonomyContext,
): Promise<TaxonomyResult> {
  const s = resolveTaxonomySettings(settings);
  const rt: StageRuntime = stageRuntime(ctx);
  const placedIds = new Set((input.placed ?? []).map((p) => p.failureId));
  const titles = uniqueTitles(input.failures.filter((f) => !placedIds.has(f.failureId)));
  const root = newRoot();
  if (titles.length > 0) await divide(root, titles, s, rt);
  placeFailures(root, input.placed ?? [], input.descriptions);
  finaliseTree(root, { sortByCount: true });
  return { root, assignments: assignmentsOf(root), warnings: rt.warnings, unplaced: sortedUnplaced(rt.unplaced) };
}

/** Offline mode: every failure is pre-placed, no judge is involved. */
export function buildTreeFromPaths(placed: readonly PlacedFailure[], descriptions: Record<string, string> = {}): TaxonomyResult {
  const root = newRoot();
  placeFailures(root, placed, descriptions);
  finaliseTree(root, { sortByCount: true });
  return { root, assignments: assignmentsOf(root), warnings: [], unplaced: [] };
}

/**
 * Divides one node's titles into generated categories (plus Other) and recurses into every category
 * with more than minTitlesToRecurse distinct titles, Other included, as the reference does.
 */
async function divide(node: TaxonomyNode, titles: readonly UniqueTitle[], s: TaxonomySettings, rt: StageRuntime): Promise<void> {
  const shuffled = seededShuffle(titles, nodeSeed(s.seed, node.id));
  const parent = node.depth > 0 ? { name: node.name, description: node.description } : undefined;
  const where = { nodeName: node.name, depth: node.depth, parent };
  const maxCategories = maxCategoriesFor(failureCount(titles), s.maxCategories);
  const { categories, ratings } = await generateCategories({ ...where, titles: shuffled, maxCategories, batchSize: s.batchSize }, rt);
  // Without top-level categories nothing classified the titles: they are unplaced, not filed under Other.
  if (node.depth === 0 && categories.length === 0) {
    for (const t of titles)
      for (const failureId of t.failureIds) rt.unplaced.push({ failureId, reason: 'no top-level category could be generated' });
    return;
  }
  const choice = await classifyTitles({ ...where, titles: shuffled, categories, batchSize: s.classifyBatchSize }, rt);

  const groups = new Map<number, UniqueTitle[]>();
  for (const t of titles) {
    const c = choice.get(t.key) ?? OTHER;
    if (c === UNPLACED) continue;
    const group = groups.get(c);
    if (group) group.push(t);
    else groups.set(c, [t]);
  }
  if (s.minShare > 0) mergeSmallGroups(groups, s.minShare);

  // Below the root, a split that puts everything in one group adds nothing: the node stays a leaf.
  if (node.depth > 0 && groups.size <= 1) {
    node.failureIds = [...groups.values()].flat().flatMap((t) => t.failureIds);
    return;
  }
  if (ratings.length > 0) node.ratings = ratings;
  // Each subtree collects its own warnings, appended in child order, so parallelism cannot reorder them.
  const recursions: Promise<string[]>[] = [];
  for (const [index, members] of [...groups.entries()].sort(([a], [b]) => a - b)) {
    const child = index === OTHER ? otherChild(node) : newNode(node, categories[index].name, categories[index].description);
    if (index !== OTHER) node.children.push(child);
    // An Other that holds everything because generation failed would only repeat the failed call.
    const splittable = members.length > s.minTitlesToRecurse && child.depth < s.maxDepth && categories.length > 0;
    if (splittable) {
      const sub: StageRuntime = { ...rt, warnings: [] };
      recursions.push(divide(child, members, s, sub).then(() => sub.warnings));
    } else child.failureIds = members.flatMap((t) => t.failureIds);
  }
  for (const warnings of await Promise.all(recursions)) rt.warnings.push(...warnings);
}

/** Moves groups whose share of the node's failures is below minShare into Other. */
function mergeSmallGroups(groups: Map<number, UniqueTitle[]>, minShare: number): void {
  const total = [...groups.values()].reduce((n, ts) => n + failureCount(ts), 0);
  for (const [index, members] of [...groups.entries()]) {
    if (index === OTHER || failureCount(members) / total >= minShare) continue;
    groups.delete(index);
    groups.set(OTHER, [...(groups.get(OTHER) ?? []), ...members]);
  }
}
