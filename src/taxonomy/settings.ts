import { SETTING_GROUPS } from '../settings/run-settings.js';

/** Settings of the taxonomy stage (build and atlas classification): the run's taxonomy settings plus fixed batch sizes. */
export interface TaxonomySettings {
  /** Unique titles per generation/update call. */
  batchSize: number;
  /** Unique titles per classification call. */
  classifyBatchSize: number;
  /** Deepest level of generated categories (root = 0, top-level categories = 1). */
  maxDepth: number;
  /** Upper bound on categories per node; the per-node limit is min(cap, ceil(0.1 × unique titles)). */
  maxCategories: number;
  /** A category is subdivided only when it holds more unique titles than this. */
  minTitlesToRecurse: number;
  /** Categories whose share of their parent is below this are merged into Other (0 = off). */
  minShare: number;
  seed: number;
}

/** The algorithm's fixed sizes; the other defaults are the run settings' (settings/run-settings.ts). */
const ALGORITHM = { batchSize: 500, classifyBatchSize: 50, minTitlesToRecurse: 5 };

export function resolveTaxonomySettings(partial: Partial<TaxonomySettings> = {}): TaxonomySettings {
  const { maxDepth, maxCategories, minShare } = SETTING_GROUPS.taxonomy.parse({});
  const seed = SETTING_GROUPS.sampling.shape.seed.parse(undefined);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...ALGORITHM, maxDepth, maxCategories, minShare, seed, ...defined };
}

/** The paper's per-node limit: about one category per ten distinct titles, never above the cap. */
export function maxCategoriesFor(uniqueTitles: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(0.1 * uniqueTitles)));
}
