import type { TaxonomyNode } from '../contracts/taxonomy-node.js';

export interface IndexedNode {
  node: TaxonomyNode;
  parentId?: string;
  /** Names from the top-level category down to this node (the root is left out). */
  namePath: string[];
}

/** Lookup of taxonomy nodes by id, with their name paths. */
export interface TaxonomyIndex {
  root: TaxonomyNode;
  byId: Map<string, IndexedNode>;
  /** Deepest depth of any node (0 for a bare root). */
  maxDepth: number;
}

export function indexTaxonomy(root: TaxonomyNode): TaxonomyIndex {
  const byId = new Map<string, IndexedNode>();
  let maxDepth = 0;
  const walk = (node: TaxonomyNode, parentId: string | undefined, names: string[]) => {
    byId.set(node.id, { node, parentId, namePath: names });
    maxDepth = Math.max(maxDepth, node.depth);
    for (const child of node.children) walk(child, node.id, [...names, child.name]);
  };
  walk(root, undefined, []);
  return { root, byId, maxDepth };
}

/**
 * The category of a failure at `depth` (1 = top level): path[depth − 1]. A path that ends above `depth`
 * (its leaf sits higher in the tree) keeps its leaf, so every placed failure has one category at every
 * depth and shares at each depth sum to 1.
 */
export function categoryAtDepth(path: readonly string[], depth: number): string | undefined {
  if (path.length === 0 || depth < 1) return undefined;
  return path[Math.min(depth, path.length) - 1];
}

/**
 * The categories that exist at `depth`, in tree order: nodes at that depth plus leaves that end above it
 * (see categoryAtDepth).
 */
export function categoriesAtDepth(index: TaxonomyIndex, depth: number): string[] {
  const out: string[] = [];
  const walk = (node: TaxonomyNode) => {
    if (node.depth === depth || (node.depth > 0 && node.depth < depth && node.children.length === 0)) {
      out.push(node.id);
      return;
    }
    for (const child of node.children) walk(child);
  };
  walk(index.root);
  return out;
}

/** Names in lower case with punctuation and repeated spaces removed, for matching categories across runs. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
