import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { type Judge, JudgeCallError } from '../judge/judge.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import { type Rate, rateOf } from './rate.js';
import { type IndexedNode, indexTaxonomy, type TaxonomyIndex } from './taxonomy-index.js';
import { UNEXPLAINED_PATTERNS } from './validate.js';

/** Two categories the judge found equivalent: one of the first taxonomy, one of the second. */
export interface MatchedPair {
  firstId: string;
  secondId: string;
  firstName: string;
  secondName: string;
  depth: number;
}

export interface DepthMatch {
  depth: number;
  /** Second-taxonomy categories with an equivalent in the first, out of all of them at this depth. */
  precision: Rate;
  /** First-taxonomy categories with an equivalent in the second, out of all of them at this depth. */
  recall: Rate;
}

export interface SemanticMatching {
  /** Every depth together. */
  precision: Rate;
  recall: Rate;
  byDepth: DepthMatch[];
  pairs: MatchedPair[];
  /** Candidate pairs asked, and those whose call failed (counted as not equivalent). */
  asked: number;
  failedCalls: number;
  judge: string;
  promptVersion: string;
}

/** The categories a stability check compares: every node below the root except Other and the unexplained bins. */
function comparable(index: TaxonomyIndex): IndexedNode[] {
  return [...index.byId.values()].filter((n) => n.node.depth > 0 && !UNEXPLAINED_PATTERNS.some((p) => p.test(n.node.name)));
}

const parentName = (index: TaxonomyIndex, n: IndexedNode) => {
  const parent = n.parentId ? index.byId.get(n.parentId)?.node : undefined;
  return parent && parent.depth > 0 ? parent.name : '';
};

/**
 * Stability as the paper measured it: categories of two taxonomies matched by meaning, not by id or
 * name. Level by level, the judge decides for each candidate pair (name + description, one call per
 * pair, kept in the call cache) whether the two are equivalent. Candidates are every pair of top-level
 * categories, and below that the children of pairs already matched, so a sub-category is only compared
 * within an equivalent parent. Precision is the share of the second taxonomy's categories with an
 * equivalent in the first; recall the reverse. A failed call counts as "not equivalent" and is counted.
 */
export async function matchCategoriesSemantically(
  first: TaxonomyNode,
  second: TaxonomyNode,
  judge: Judge,
  prompts: PromptSet,
): Promise<SemanticMatching> {
  const a = indexTaxonomy(first);
  const b = indexTaxonomy(second);
  const nodesA = comparable(a);
  const nodesB = comparable(b);
  const pairs: MatchedPair[] = [];
  let asked = 0;
  let failedCalls = 0;
  const maxDepth = Math.max(0, ...nodesA.map((n) => n.node.depth), ...nodesB.map((n) => n.node.depth));
  for (let depth = 1; depth <= maxDepth; depth++) {
    const matchedParents = new Set(pairs.filter((p) => p.depth === depth - 1).map((p) => `${p.firstId}\u0000${p.secondId}`));
    const atA = nodesA.filter((n) => n.node.depth === depth);
    const atB = nodesB.filter((n) => n.node.depth === depth);
    const candidates = atA.flatMap((x) =>
      atB.filter((y) => depth === 1 || matchedParents.has(`${x.parentId}\u0000${y.parentId}`)).map((y) => [x, y] as const),
    );
    asked += candidates.length;
    // The judge queues calls under its own concurrency limit; answers keep the candidates' order.
    const answers = await Promise.all(
      candidates.map(async ([x, y]) => {
        const request = prompts.requestFor('category_match', {
          first_name: x.node.name,
          first_description: x.node.description,
          first_parent: parentName(a, x),
          second_name: y.node.name,
          second_description: y.node.description,
          second_parent: parentName(b, y),
        });
        try {
          return (await judge.call(request)).value.equivalent;
        } catch (e) {
          if (!JudgeCallError.isInstance(e)) throw e;
          failedCalls++;
          return false;
        }
      }),
    );
    candidates.forEach(([x, y], i) => {
      if (answers[i]) pairs.push({ firstId: x.node.id, secondId: y.node.id, firstName: x.node.name, secondName: y.node.name, depth });
    });
  }
  const rates = (inA: IndexedNode[], inB: IndexedNode[], matched: MatchedPair[]) => ({
    precision: rateOf(new Set(matched.map((p) => p.secondId)).size, inB.length),
    recall: rateOf(new Set(matched.map((p) => p.firstId)).size, inA.length),
  });
  const byDepth = Array.from({ length: maxDepth }, (_, i) => i + 1).map((depth) => ({
    depth,
    ...rates(
      nodesA.filter((n) => n.node.depth === depth),
      nodesB.filter((n) => n.node.depth === depth),
      pairs.filter((p) => p.depth === depth),
    ),
  }));
  return {
    ...rates(nodesA, nodesB, pairs),
    byDepth,
    pairs,
    asked,
    failedCalls,
    judge: judge.id,
    promptVersion: prompts.versions.category_match ?? '',
  };
}
