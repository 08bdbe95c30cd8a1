import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { type Agreement, cohenKappa } from './agreement.js';
import { isNoError } from './no-error.js';
import { type Rate, rateOf } from './rate.js';
import { seededSample, seededUniform } from './seeded-order.js';
import { categoryAtDepth, indexTaxonomy, type TaxonomyIndex } from './taxonomy-index.js';
import { matchTaxonomies } from './taxonomy-match.js';
import { placedFailures } from './weighted-shares.js';

type RunInput = Pick<RunData, 'taxonomy' | 'failures'>;

/**
 * Category names that mean "not explained": Other, the method's Hard to Analyze, the offline bin for
 * failures no detector explains, and No error found (not a failure of the model, so nothing explained).
 */
export const UNEXPLAINED_PATTERNS: readonly RegExp[] = [
  /^other$/i,
  /hard to analy[sz]e/i,
  /unexplained without a judge/i,
  /^no error found$/i,
];

export { type Rate, rateOf } from './rate.js';

const NO_ERROR_BIN = 'No error found';
const NOT_PLACED_BIN = '(not placed)';

export interface Coverage extends Rate {
  /** Failures with an analysis: the denominator. */
  analysed: number;
  /** Of those, filed in the taxonomy. */
  placed: number;
  /** Analysed failures left unexplained, per bin: Other, Hard to Analyze, No error found, "(not placed)", … */
  unexplained: { name: string; count: number }[];
}

function isUnexplained(index: TaxonomyIndex, path: readonly string[], patterns: readonly RegExp[]): string | undefined {
  for (const id of path) {
    const name = index.byId.get(id)?.node.name ?? '';
    if (patterns.some((p) => p.test(name))) return name;
  }
  return undefined;
}

/**
 * Coverage as the paper defines it: the share of analysed failures the taxonomy explains, i.e. filed in a
 * category that is not Other, Hard to Analyze or another unexplained bin (unweighted: it describes the
 * analysed sample). Analyses that found no error explain nothing about the model and count as the "No
 * error found" bin wherever they are filed; unfiled analysed failures count as "(not placed)".
 */
export function computeCoverage(run: RunInput, patterns: readonly RegExp[] = UNEXPLAINED_PATTERNS): Coverage {
  const index = indexTaxonomy(run.taxonomy);
  const analysed = run.failures.filter((f) => f.analysis !== undefined);
  const counts = new Map<string, number>();
  let placed = 0;
  let covered = 0;
  for (const f of analysed) {
    if (f.path.length > 0) placed++;
    const bin = isNoError(f) ? NO_ERROR_BIN : f.path.length === 0 ? NOT_PLACED_BIN : isUnexplained(index, f.path, patterns);
    if (bin === undefined) covered++;
    else counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  return {
    ...rateOf(covered, analysed.length),
    analysed: analysed.length,
    placed,
    unexplained: [...counts.entries()]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
  };
}

/** pass / fail against a level, or inconclusive while the 95% interval straddles it. */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** The verdict of a rate against `level`: pass when the whole interval lies above it, fail when below. */
export function verdictOf(rate: Rate, level: number): Verdict {
  if (rate.n === 0) return 'inconclusive';
  if (rate.ciLow > level) return 'pass';
  if (rate.ciHigh < level) return 'fail';
  return 'inconclusive';
}

/** One forced-choice question: the failure's assigned leaf against another category of the same depth. */
export interface CategoryChoiceItem {
  failure: FailureView;
  assigned: TaxonomyNode;
  alternative: TaxonomyNode;
  /** Which letter the assigned category is shown under (randomised with the seed). */
  assignedLetter: 'A' | 'B';
  /** Parent names, for context in the prompt. */
  assignedParent?: string;
  alternativeParent?: string;
}

/**
 * Draws `sample` placed failures (outside the unexplained bins, whose fit is not in question) and, for
 * each, a random other category at the depth of its leaf, and the order the two are shown in.
 * Failures whose leaf has no other category at its depth are skipped.
 */
export function planCategoryChoices(
  run: RunInput,
  sample: number,
  seed: number,
  patterns: readonly RegExp[] = UNEXPLAINED_PATTERNS,
): CategoryChoiceItem[] {
  const index = indexTaxonomy(run.taxonomy);
  const byDepth = new Map<number, TaxonomyNode[]>();
  for (const { node } of index.byId.values())
    if (node.depth > 0 && !patterns.some((p) => p.test(node.name))) byDepth.set(node.depth, [...(byDepth.get(node.depth) ?? []), node]);
  const parentName = (id: string) => {
    const parentId = index.byId.get(id)?.parentId;
    const parent = parentId ? index.byId.get(parentId)?.node : undefined;
    return parent && parent.depth > 0 ? parent.name : undefined;
  };
  const eligible = placedFailures(run.failures).filter((f) => {
    const leaf = index.byId.get(f.path[f.path.length - 1])?.node;
    return leaf !== undefined && isUnexplained(index, f.path, patterns) === undefined && (byDepth.get(leaf.depth)?.length ?? 0) > 1;
  });
  return seededSample(eligible, sample, seed, 'category_choice.sample', (f) => f.id).map((failure) => {
    const assigned = index.byId.get(failure.path[failure.path.length - 1])?.node as TaxonomyNode;
    const others = (byDepth.get(assigned.depth) ?? []).filter((n) => n.id !== assigned.id);
    const alternative = others[Math.floor(seededUniform(seed, 'category_choice.alternative', failure.id) * others.length)];
    return {
      failure,
      assigned,
      alternative,
      assignedLetter: seededUniform(seed, 'category_choice.order', failure.id) < 0.5 ? 'A' : 'B',
      assignedParent: parentName(assigned.id),
      alternativeParent: parentName(alternative.id),
    };
  });
}

/** Draws `sample` analysed failures for the analysis check. */
export function planAnalysisChecks(run: RunInput, sample: number, seed: number): FailureView[] {
  return seededSample(
    run.failures.filter((f) => f.analysis !== undefined),
    sample,
    seed,
    'analysis_check.sample',
    (f) => f.id,
  );
}

export interface Stability {
  depth: number;
  /** Categories (every non-root node) of the second run matching one of the first, and the reverse. */
  categoryPrecision: Rate;
  categoryRecall: Rate;
  matchedById: number;
  matchedByName: number;
  /** Assignment agreement at `depth` on failure ids placed in both runs. */
  agreement: Agreement;
}

/**
 * Stability of the taxonomy between two runs: category matching precision (second run's categories found
 * in the first) and recall (first run's categories found in the second), matched by id then normalised
 * name, Other and the unexplained bins left out; and on the failures both runs placed, how often they fall in the same category at `depth`,
 * with Cohen's kappa (categories without a counterpart count as distinct labels).
 */
export function computeStability(first: RunInput, second: RunInput, depth = 1): Stability {
  const indexA = indexTaxonomy(first.taxonomy);
  const indexB = indexTaxonomy(second.taxonomy);
  const m = matchTaxonomies(indexA, indexB);
  // Other and the unexplained bins always "match"; they say nothing about the categories' stability.
  const counts = (index: TaxonomyIndex) => (id: string) => !UNEXPLAINED_PATTERNS.some((p) => p.test(index.byId.get(id)?.node.name ?? ''));
  const countsB = counts(indexB);
  const matchedIds = [...m.secondToFirst.keys()].filter(countsB);
  const matchedById = matchedIds.filter((id) => m.secondToFirst.get(id) === id).length;
  const matched = matchedIds.length;
  const placedB = new Map(placedFailures(second.failures).map((f) => [f.id, f]));
  const pairs: [string, string][] = [];
  for (const f of placedFailures(first.failures)) {
    const other = placedB.get(f.id);
    if (!other) continue;
    const a = categoryAtDepth(f.path, depth) as string;
    const b = categoryAtDepth(other.path, depth) as string;
    pairs.push([a, m.secondToFirst.get(b) ?? `second:${b}`]);
  }
  return {
    depth,
    categoryPrecision: rateOf(matched, matched + m.onlySecond.filter(countsB).length),
    categoryRecall: rateOf(matched, matched + m.onlyFirst.filter(counts(indexA)).length),
    matchedById,
    matchedByName: matched - matchedById,
    agreement: cohenKappa(pairs),
  };
}
