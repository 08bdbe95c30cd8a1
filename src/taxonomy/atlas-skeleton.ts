import type { TaxonomyNode } from '../contracts/taxonomy-node.js';

/** A deep copy of a taxonomy's structure (ids, names, descriptions) without failures or counts. */
export function atlasSkeleton(node: TaxonomyNode, depth = 0): TaxonomyNode {
  return {
    id: node.id,
    name: node.name,
    description: node.description,
    depth,
    count: 0,
    share: 0,
    children: node.children.map((c) => atlasSkeleton(c, depth + 1)),
  };
}

export function collectIds(node: TaxonomyNode, into = new Set<string>()): Set<string> {
  into.add(node.id);
  for (const c of node.children) collectIds(c, into);
  return into;
}
