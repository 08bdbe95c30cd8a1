export { buildTaxonomy, buildTreeFromPaths, ROOT_DESCRIPTION, type TaxonomyInput, type TaxonomyResult } from './build-taxonomy.js';
export type { TaxonomyContext, TaxonomyProgress } from './context.js';
export { normaliseName, ROOT_ID, stableNodeId } from './node-id.js';
export type { PlacedFailure } from './placed.js';
export { assignmentsOf, type TaxonomyAssignment } from './populate.js';
export { DEFAULT_TAXONOMY_SETTINGS, maxCategoriesFor, resolveTaxonomySettings, type TaxonomySettings } from './settings.js';
export type { TitledFailure } from './titles.js';
export { OTHER_NAME, ROOT_NAME, type CategoryDraft, type TaxonomyNode } from './tree.js';
