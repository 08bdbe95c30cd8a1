import { createHash } from 'node:crypto';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';

export const ROOT_ID = 'root';

/** Case- and whitespace-insensitive form of a category name or title, used for matching. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A node id derived from its parent and its normalised name, so a rerun yields the same ids. */
export function stableNodeId(parentId: string, name: string, salt = 0): string {
  const key = `${parentId}\u0000${normaliseName(name)}${salt ? `\u0000${salt}` : ''}`;
  return `c_${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/**
 * Makes ids unique in tree order (depth first, children in order): a repeated id is re-derived with a
 * salt. Walking in tree order keeps the outcome independent of how the tree was built.
 */
export function ensureUniqueIds(root: TaxonomyNode, parentIdOf: Map<TaxonomyNode, string> = new Map()): void {
  const seen = new Set<string>();
  const visit = (node: TaxonomyNode, parentId: string) => {
    let salt = 0;
    while (seen.has(node.id)) node.id = stableNodeId(parentId, node.name, ++salt);
    seen.add(node.id);
    parentIdOf.set(node, parentId);
    for (const child of node.children) visit(child, node.id);
  };
  visit(root, '');
}
