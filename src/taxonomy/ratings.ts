import type { CategoryListRating, TaxonomyNode } from './tree.js';

/** The judge's ratings of one node's category list, for the run record and the viewer's run page. */
export interface NodeRatings {
  nodeId: string;
  /** Category names from the top level down ([] for the root). */
  path: string[];
  ratings: CategoryListRating[];
}

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
