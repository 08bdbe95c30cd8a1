import type { NodeRatings, TaxonomyNode } from '../contracts/taxonomy-node.js';

/** Every node that carries ratings, in tree order (parents before children). */
export function collectRatings(root: TaxonomyNode): NodeRatings[] {
  const out: NodeRatings[] = [];
  const walk = (node: TaxonomyNode, path: string[]) => {
    if (node.ratings?.length) out.push({ nodeId: node.id, path, ratings: node.ratings });
    for (const c of node.children) walk(c, [...path, c.name]);
  };
  walk(root, []);
  return out;
}
