import { OTHER_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ensureUniqueIds, normaliseName, stableNodeId } from './node-id.js';

/** A failure's place in the taxonomy: node ids from the top-level category down to its leaf. */
export interface TaxonomyAssignment {
  failureId: string;
  leafId: string;
  path: string[];
}

export function newNode(parent: TaxonomyNode, name: string, description: string): TaxonomyNode {
  return { id: stableNodeId(parent.id, name), name, description, depth: parent.depth + 1, count: 0, share: 0, children: [] };
}

export function findChild(parent: TaxonomyNode, name: string): TaxonomyNode | undefined {
  const key = normaliseName(name);
  return parent.children.find((c) => normaliseName(c.name) === key);
}

export const OTHER_DESCRIPTION = 'Errors that fit none of the other categories at this level.';

/** The Other child of a node, created (with a stable id) when missing. */
export function otherChild(parent: TaxonomyNode): TaxonomyNode {
  const existing = findChild(parent, OTHER_NAME);
  if (existing) return existing;
  const other = newNode(parent, OTHER_NAME, OTHER_DESCRIPTION);
  parent.children.push(other);
  return other;
}

export function isOther(node: TaxonomyNode): boolean {
  return normaliseName(node.name) === normaliseName(OTHER_NAME);
}

/**
 * Makes the tree consistent: failures filed on an inner node move to its Other child (so every
 * failure sits in exactly one leaf), counts are summed bottom-up, shares are count / parent count,
 * leaf failure ids are sorted and ids are made unique. With sortByCount, siblings are ordered by
 * count (then name) with Other last; otherwise their order is kept.
 */
export function finaliseTree(root: TaxonomyNode, options: { sortByCount: boolean }): TaxonomyNode {
  const settle = (node: TaxonomyNode, depth: number): number => {
    node.depth = depth;
    if (node.children.length > 0 && node.failureIds?.length) {
      // If Other has children itself, its own settle() passes them down again.
      const other = otherChild(node);
      other.failureIds = [...(other.failureIds ?? []), ...node.failureIds];
    }
    if (node.children.length > 0) {
      delete node.failureIds;
      node.count = node.children.reduce((sum, c) => sum + settle(c, depth + 1), 0);
      if (options.sortByCount) node.children.sort(bySizeThenName);
    } else {
      node.failureIds = [...new Set(node.failureIds ?? [])].sort();
      node.count = node.failureIds.length;
    }
    return node.count;
  };
  settle(root, 0);
  const share = (node: TaxonomyNode, parentCount: number | undefined) => {
    node.share = parentCount === undefined ? 1 : parentCount > 0 ? node.count / parentCount : 0;
    for (const c of node.children) share(c, node.count);
  };
  share(root, undefined);
  ensureUniqueIds(root);
  return root;
}

function bySizeThenName(a: TaxonomyNode, b: TaxonomyNode): number {
  const ao = isOther(a) ? 1 : 0;
  const bo = isOther(b) ? 1 : 0;
  if (ao !== bo) return ao - bo;
  return b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Every failure with the node ids from the top-level category down to its leaf, sorted by failure id. */
export function assignmentsOf(root: TaxonomyNode): TaxonomyAssignment[] {
  const out: TaxonomyAssignment[] = [];
  const walk = (node: TaxonomyNode, path: string[]) => {
    if (node.children.length === 0) {
      for (const failureId of node.failureIds ?? []) out.push({ failureId, leafId: node.id, path });
      return;
    }
    for (const c of node.children) walk(c, [...path, c.id]);
  };
  walk(root, []);
  return out.sort((a, b) => (a.failureId < b.failureId ? -1 : a.failureId > b.failureId ? 1 : 0));
}
