/** Settings of the taxonomy stage (build and atlas classification). */
export interface TaxonomySettings {
  /** Unique titles per generation/update call. */
  batchSize: number;
  /** Unique titles per classification call. */
  classifyBatchSize: number;
  /** Category levels below the root (top-level categories are level 1). */
  maxDepth: number;
  /** Upper bound on categories per node; the per-node limit is min(cap, ceil(0.1 × failures at the node)). */
  maxCategoriesCap: number;
  /** A category (Other included) is subdivided only when it holds more unique titles than this. */
  minTitlesToRecurse: number;
  /** Categories whose share of their parent is below this are merged into Other (0 = off). */
  minShare: number;
  seed: number;
}

/**
 * The reference implementation's shape: its max_depth = 2 recurses at depths 0, 1 and 2, which gives
 * up to three category levels below the root.
 */
export const DEFAULT_TAXONOMY_SETTINGS: TaxonomySettings = {
  batchSize: 500,
  classifyBatchSize: 50,
  maxDepth: 3,
  maxCategoriesCap: 25,
  minTitlesToRecurse: 5,
  minShare: 0,
  seed: 42,
};

export function resolveTaxonomySettings(partial: Partial<TaxonomySettings> = {}): TaxonomySettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_TAXONOMY_SETTINGS, ...defined };
}

/**
 * The method's per-node limit: about one category per ten failures at the node (failures, as the
 * reference counts its records, not distinct titles), never above the cap.
 */
export function maxCategoriesFor(failures: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(0.1 * failures)));
}
