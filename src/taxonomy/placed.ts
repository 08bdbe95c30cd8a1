import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { normaliseName } from './node-id.js';
import { findChild, newNode, otherChild } from './populate.js';

/** A failure whose category path is already known (mechanical pre-check, offline detector). */
export interface PlacedFailure {
  failureId: string;
  /** Category names from the top level down. */
  path: string[];
}

/**
 * Files pre-placed failures under their path, reusing (case-insensitively) any category of the same
 * name at the same level and creating the rest. A path that ends on an inner node lands in that
 * node's Other when the tree is finalised; an empty path lands in the top-level Other.
 */
export function placeFailures(root: TaxonomyNode, placed: readonly PlacedFailure[], descriptions: Record<string, string> = {}): void {
  const described = new Map(Object.entries(descriptions).map(([name, text]) => [normaliseName(name), text]));
  for (const p of [...placed].sort((a, b) => (a.failureId < b.failureId ? -1 : a.failureId > b.failureId ? 1 : 0))) {
    const names = p.path.map((n) => n.trim()).filter(Boolean);
    let node = names.length === 0 ? otherChild(root) : root;
    for (const name of names) {
      let child = findChild(node, name);
      if (!child) {
        child = newNode(node, name, described.get(normaliseName(name)) ?? '');
        node.children.push(child);
      }
      node = child;
    }
    node.failureIds ??= [];
    node.failureIds.push(p.failureId);
  }
}
