/** One node of the error taxonomy. The root is "LLM Errors" at depth 0. */
export interface TaxonomyNode {
  /** Stable id, fixed when the node is created; survives renames and atlas merges. */
  id: string;
  name: string;
  description: string;
  depth: number;
  /** Number of analysed failures in this subtree (failures, not distinct titles). */
  count: number;
  /** count / parent count (root: 1). */
  share: number;
  children: TaxonomyNode[];
  /** Only on leaves: the failures filed here. */
  failureIds?: string[];
  /** On divided nodes: the judge's ratings of this node's category list, in the order they were given. */
  ratings?: CategoryListRating[];
}

/** A 0–100 rating of a node's category list by an update or review call, with the reasons. */
export interface CategoryListRating {
  task: 'taxonomy_update' | 'taxonomy_review';
  /** For updates: the 1-based batch of titles the list was rated against. */
  batch?: number;
  rating: number;
  explanation: string;
  suggestions: string;
}

export const ROOT_NAME = 'LLM Errors';
export const OTHER_NAME = 'Other';
/** Where analyses that found no error are filed: kept and visible, as candidates for benchmark noise. */
export const NO_ERROR_NAME = 'No error found';

/** A category as the judge proposes it, before ids and counts exist. */
export interface CategoryDraft {
  name: string;
  description: string;
}

/** The judge's ratings of one node's category list, for the run record and the viewer's run page. */
export interface NodeRatings {
  nodeId: string;
  /** Category names from the top level down ([] for the root). */
  path: string[];
  ratings: CategoryListRating[];
}
