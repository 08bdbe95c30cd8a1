import { normaliseName, type TaxonomyIndex } from './taxonomy-index.js';

/** How the categories of two runs' taxonomies correspond. */
export interface TaxonomyMatching {
  /** Id in the second taxonomy → matching id in the first. */
  secondToFirst: Map<string, string>;
  matchedById: number;
  matchedByName: number;
  /** Non-root node ids without a counterpart. */
  onlyFirst: string[];
  onlySecond: string[];
}

/**
 * Matches categories by id first (ids are stable across runs sharing a taxonomy or an atlas), then by
 * normalised name at the same depth, one to one, in tree order.
 */
export function matchTaxonomies(first: TaxonomyIndex, second: TaxonomyIndex): TaxonomyMatching {
  const secondToFirst = new Map<string, string>();
  const taken = new Set<string>();
  let matchedById = 0;
  let matchedByName = 0;
  const nonRoot = (idx: TaxonomyIndex) => [...idx.byId.values()].filter((n) => n.node.depth > 0);
  for (const n of nonRoot(second)) {
    if (first.byId.has(n.node.id) && first.byId.get(n.node.id)?.node.depth === n.node.depth) {
      secondToFirst.set(n.node.id, n.node.id);
      taken.add(n.node.id);
      matchedById++;
    }
  }
  const byName = new Map<string, string[]>();
  for (const n of nonRoot(first)) {
    if (taken.has(n.node.id)) continue;
    const key = `${n.node.depth}\u0000${normaliseName(n.node.name)}`;
    byName.set(key, [...(byName.get(key) ?? []), n.node.id]);
  }
  for (const n of nonRoot(second)) {
    if (secondToFirst.has(n.node.id)) continue;
    const candidates = byName.get(`${n.node.depth}\u0000${normaliseName(n.node.name)}`) ?? [];
    const match = candidates.find((id) => !taken.has(id));
    if (match === undefined) continue;
    secondToFirst.set(n.node.id, match);
    taken.add(match);
    matchedByName++;
  }
  return {
    secondToFirst,
    matchedById,
    matchedByName,
    onlyFirst: nonRoot(first)
      .map((n) => n.node.id)
      .filter((id) => !taken.has(id)),
    onlySecond: nonRoot(second)
      .map((n) => n.node.id)
      .filter((id) => !secondToFirst.has(id)),
  };
}
