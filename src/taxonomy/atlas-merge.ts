import { NO_ERROR_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { atlasSkeleton, collectIds } from './atlas-skeleton.js';
import { normaliseName, stableNodeId } from './node-id.js';
import { finaliseTree, findChild } from './populate.js';

/**
 * One atlas from several runs' taxonomies: categories are matched by normalised name at the same
 * level, the first run's ids (and names) win, and children are united. The result is a structure:
 * counts are zero, and no failures are kept.
 */
export function mergeAtlases(runs: readonly TaxonomyNode[]): TaxonomyNode {
  if (runs.length === 0) throw new Error('mergeAtlases needs at least one taxonomy');
  const merged = atlasSkeleton(runs[0]);
  const used = collectIds(merged);
  for (const run of runs.slice(1)) mergeInto(merged, run, used);
  // "No error found" holds a run's benchmark-noise candidates, not a kind of error: no atlas category.
  merged.children = merged.children.filter((c) => normaliseName(c.name) !== normaliseName(NO_ERROR_NAME));
  return finaliseTree(merged, { sortByCount: false });
}

function mergeInto(target: TaxonomyNode, source: TaxonomyNode, used: Set<string>): void {
  if (!target.description && source.description) target.description = source.description;
  for (const child of source.children) {
    const match = findChild(target, child.name);
    if (match) {
      mergeInto(match, child, used);
      continue;
    }
    const added = atlasSkeleton(child, target.depth + 1);
    reassignTakenIds(added, target.id, used);
    target.children.push(added);
  }
}

/** Keeps a newcomer's own ids unless another node has them already; then derives one from the new parent. */
function reassignTakenIds(node: TaxonomyNode, parentId: string, used: Set<string>): void {
  let salt = 0;
  while (used.has(node.id)) node.id = stableNodeId(parentId, node.name, salt++);
  used.add(node.id);
  for (const c of node.children) reassignTakenIds(c, node.id, used);
}
