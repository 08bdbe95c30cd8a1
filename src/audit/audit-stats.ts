import { cohenKappa } from '../chart/agreement.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { acceptance, type CategoryAgreement, categoryAgreement, type LabelPair, wilson } from './agreement-stats.js';
import { bootstrap, type Estimate } from './bootstrap.js';
import { categoryLookup } from './category-paths.js';
import { type CorrectedShare, correctedShares } from './corrected-shares.js';
import { krippendorffAlphaNominal } from './krippendorff.js';
import { latestPerFailure, latestPerReviewer } from './latest-reviews.js';
import type { Review } from './review.js';
import { reviewsForMargin } from './reviews-needed.js';

/** Half-width of the agreement interval the verdict line aims for. */
export const TARGET_MARGIN = 0.05;

export interface InterReviewer {
  reviewers: string[];
  /** Failures categorised by at least two reviewers. */
  items: number;
  /** Cohen's kappa when exactly two reviewers took part. */
  kappa?: Estimate;
  /** Krippendorff's alpha (nominal), any number of reviewers. */
  alpha: Estimate;
}

export interface AuditStats {
  reviews: number;
  reviewers: string[];
  /** Failures with at least one review. */
  failuresReviewed: number;
  /** Judge–human agreement on the category, one review per failure (its latest). */
  topLevel: CategoryAgreement;
  leaf: CategoryAgreement;
  /** Blind reviews: share where the reviewer's category matched or the judge's was found acceptable too. */
  acceptable?: Estimate & { n: number };
  analysis: ReturnType<typeof acceptance>;
  interReviewer?: { topLevel: InterReviewer; leaf: InterReviewer };
  /** Top-level shares: the judge's and corrected for the measured misclassification. */
  shares: CorrectedShare[];
  /** Reviews in total for the top-level agreement interval to reach ±TARGET_MARGIN; `more` still to do. */
  needed: { total: number; more: number };
  verdict: string;
  seed: number;
}

const top = (path: readonly string[]) => path.slice(0, 1);

function interReviewer(reviews: readonly Review[], label: (r: Review) => string, seed: number, purpose: string): InterReviewer | undefined {
  const byFailure = new Map<string, Review[]>();
  for (const r of reviews) byFailure.set(r.failureId, [...(byFailure.get(r.failureId) ?? []), r]);
  const shared = [...byFailure.values()].filter((rs) => rs.length >= 2);
  if (shared.length === 0) return undefined;
  const reviewers = [...new Set(shared.flat().map((r) => r.reviewer))].sort();
  const units = shared.map((rs) => rs.map(label));
  const alpha = bootstrap([units], krippendorffAlphaNominal, { seed, purpose: `${purpose}:alpha` });
  if (reviewers.length !== 2) return { reviewers, items: shared.length, alpha };
  const pairs = shared.map((rs) => {
    const [a, b] = [...rs].sort((x, y) => (x.reviewer < y.reviewer ? -1 : 1));
    return [label(a), label(b)] as const;
  });
  const kappa = bootstrap([pairs], (sample) => cohenKappa(sample).kappa, { seed, purpose: `${purpose}:kappa` });
  return { reviewers, items: shared.length, alpha, kappa };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

export function verdictLine(agreement: CategoryAgreement, needed: { total: number; more: number }): string {
  if (agreement.n === 0) return `No category reviews yet: about ${needed.total} reviews give a top-level agreement interval of ±5 points.`;
  const a = agreement.accuracy;
  const head = `Top-level agreement ${pct(a.value)} [${pct(a.low)}, ${pct(a.high)}] from ${agreement.n} reviews`;
  return needed.more === 0
    ? `${head}: the interval is already within ±5 points.`
    : `${head}: about ${needed.more} more reviews would narrow it to ±5 points.`;
}

/** Every audit figure of a run: agreement, acceptance, inter-reviewer reliability, corrected shares, the verdict. */
export function computeAuditStats(taxonomy: TaxonomyNode, reviews: readonly Review[], options: { seed: number }): AuditStats {
  const { seed } = options;
  const lookup = categoryLookup(taxonomy);
  const perReviewer = latestPerReviewer(reviews);
  const perFailure = [...latestPerFailure(perReviewer).values()];
  const categorised = perFailure.filter((r) => r.humanPath !== undefined && r.judgePath.length > 0);
  const pairsAt = (cut: (p: readonly string[]) => readonly string[]): LabelPair[] =>
    categorised.map((r) => [lookup.labelOf(cut(r.judgePath)), lookup.labelOf(cut(r.humanPath ?? []))] as const);
  const topPairs = pairsAt(top);
  const topLevel = categoryAgreement(topPairs, { seed, purpose: 'kappa:top' });
  const leaf = categoryAgreement(
    pairsAt((p) => p),
    { seed, purpose: 'kappa:leaf' },
  );
  const blind = categorised.filter((r) => r.mode === 'blind');
  const acceptableHits = blind.filter(
    (r) => r.judgeAcceptable === true || r.humanPath?.join('\u0000') === r.judgePath.join('\u0000'),
  ).length;
  const verdicts = perFailure.flatMap((r) => (r.verdict ? [r.verdict] : []));
  const categorisedPerReviewer = perReviewer.filter((r) => r.humanPath !== undefined);
  const topInter = interReviewer(categorisedPerReviewer, (r) => lookup.labelOf(top(r.humanPath ?? [])), seed, 'inter:top');
  const leafInter = interReviewer(categorisedPerReviewer, (r) => lookup.labelOf(r.humanPath ?? []), seed, 'inter:leaf');
  const judgeShares = new Map(taxonomy.children.map((c) => [c.name, taxonomy.count > 0 ? c.count / taxonomy.count : 0]));
  const total = reviewsForMargin(topLevel.n > 0 ? topLevel.accuracy.value : undefined, TARGET_MARGIN);
  const needed = { total, more: Math.max(0, total - topLevel.n) };
  return {
    reviews: reviews.length,
    reviewers: [...new Set(reviews.map((r) => r.reviewer))].sort(),
    failuresReviewed: perFailure.length,
    topLevel,
    leaf,
    acceptable: blind.length > 0 ? { n: blind.length, ...wilson(acceptableHits, blind.length) } : undefined,
    analysis: acceptance(verdicts),
    interReviewer: topInter && leafInter ? { topLevel: topInter, leaf: leafInter } : undefined,
    shares: correctedShares(judgeShares, topPairs, { seed }),
    needed,
    verdict: verdictLine(topLevel, needed),
    seed,
  };
}
