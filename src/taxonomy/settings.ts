/** Settings of the taxonomy stage (build and atlas classification). */
export interface TaxonomySettings {
  /** Unique titles per generation/update call. */
  batchSize: number;
  /** Unique titles per classification call. */
  classifyBatchSize: number;
  /** Deepest level of generated categories (root = 0, top-level categories = 1). */
  maxDepth: number;
  /** Upper bound on categories per node; the per-node limit is min(cap, ceil(0.1 × unique titles)). */
  maxCategoriesCap: number;
  /** A category is subdivided only when it holds more unique titles than this. */
  minTitlesToRecurse: number;
  /** Categories whose share of their parent is below this are merged into Other (0 = off). */
  minShare: number;
  seed: number;
}

export const DEFAULT_TAXONOMY_SETTINGS: TaxonomySettings = {
  batchSize: 500,
  classifyBatchSize: 50,
  maxDepth: 2,
  maxCategoriesCap: 25,
  minTitlesToRecurse: 5,
  minShare: 0,
  seed: 42,
};

export function resolveTaxonomySettings(partial: Partial<TaxonomySettings> = {}): TaxonomySettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_TAXONOMY_SETTINGS, ...defined };
}

/** The paper's per-node limit: about one category per ten distinct titles, never above the cap. */
export function maxCategoriesFor(uniqueTitles: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(0.1 * uniqueTitles)));
}
