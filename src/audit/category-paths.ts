import type { TaxonomyNode } from '../contracts/taxonomy-node.js';

/** Levels of a category path in files and on screen: "Reasoning errors > Invalid logical step". */
export const PATH_SEPARATOR = ' > ';

/** A leaf a reviewer may choose: its node ids and names from the top-level category down. */
export interface LeafPath {
  ids: string[];
  names: string[];
  label: string;
}

/** Every leaf of the taxonomy (the root left out), in tree order: the categories a reviewer chooses from. */
export function leafPaths(root: TaxonomyNode): LeafPath[] {
  const out: LeafPath[] = [];
  const walk = (node: TaxonomyNode, ids: string[], names: string[]) => {
    if (node.children.length === 0) {
      if (ids.length > 0) out.push({ ids, names, label: names.join(PATH_SEPARATOR) });
      return;
    }
    for (const c of node.children) walk(c, [...ids, c.id], [...names, c.name]);
  };
  walk(root, [], []);
  return out;
}

/** Looks up leaves by their name path (as written in audit files) and by their node ids. */
export interface CategoryLookup {
  leaves: LeafPath[];
  byLabel(label: string): LeafPath | undefined;
  /** The name path of node ids (any node on the way, e.g. a judge path); ids not in the tree are shown as they are. */
  labelOf(ids: readonly string[]): string;
  isLeafPath(ids: readonly string[]): boolean;
}

const normalise = (label: string) =>
  label
    .split('>')
    .map((part) => part.trim().replace(/\s+/g, ' ').toLowerCase())
    .join('>');

export function categoryLookup(root: TaxonomyNode): CategoryLookup {
  const leaves = leafPaths(root);
  const byLabel = new Map(leaves.map((l) => [normalise(l.label), l]));
  const byKey = new Map(leaves.map((l) => [l.ids.join('\u0000'), l]));
  const names = new Map<string, string>();
  const walk = (n: TaxonomyNode) => {
    names.set(n.id, n.name);
    n.children.forEach(walk);
  };
  walk(root);
  return {
    leaves,
    byLabel: (label) => byLabel.get(normalise(label)),
    labelOf: (ids) => ids.map((id) => names.get(id) ?? id).join(PATH_SEPARATOR),
    isLeafPath: (ids) => byKey.has(ids.join('\u0000')),
  };
}
