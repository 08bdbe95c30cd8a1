import { cohenKappa } from '../chart/agreement.js';
import { wilsonInterval } from '../chart/proportions.js';
import { bootstrap, type Estimate } from './bootstrap.js';

/** One reviewed item: the judge's label and the reviewer's. */
export type LabelPair = readonly [judge: string, human: string];

export interface Confusion {
  /** Labels in first-seen order, judge's first. */
  labels: string[];
  /** counts[i][j]: the judge said labels[i], the reviewer labels[j]. */
  counts: number[][];
}

export function confusionTable(pairs: readonly LabelPair[]): Confusion {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const at = (label: string) => {
    let i = index.get(label);
    if (i === undefined) {
      i = labels.push(label) - 1;
      index.set(label, i);
    }
    return i;
  };
  for (const [j] of pairs) at(j);
  for (const [, h] of pairs) at(h);
  const counts = labels.map(() => labels.map(() => 0));
  for (const [j, h] of pairs) counts[at(j)][at(h)]++;
  return { labels, counts };
}

export interface CategoryQuality {
  label: string;
  /** Items the judge put here / the reviewer put here / both. */
  judged: number;
  humanCount: number;
  agreed: number;
  /** Of the judge's assignments to this category, the share the reviewer agreed with (Wilson 95%). */
  precision: Estimate;
  /** Of the reviewer's assignments to this category, the share the judge found (Wilson 95%). */
  recall: Estimate;
}

export interface CategoryAgreement {
  n: number;
  /** Share of items where judge and reviewer chose the same category (Wilson 95%). */
  accuracy: Estimate;
  /** Cohen's kappa, 95% percentile bootstrap interval. */
  kappa: Estimate;
  perCategory: CategoryQuality[];
  confusion: Confusion;
}

/** hits / n with its Wilson 95% interval; NaN when n = 0. */
export function wilson(hits: number, n: number): Estimate {
  const ci = wilsonInterval(hits, n);
  return n > 0 ? { value: hits / n, low: ci.low, high: ci.high } : { value: Number.NaN, low: Number.NaN, high: Number.NaN };
}

/** Judge–human agreement on one level of the taxonomy. */
export function categoryAgreement(
  pairs: readonly LabelPair[],
  options: { seed: number; purpose: string; resamples?: number },
): CategoryAgreement {
  const n = pairs.length;
  const agreed = pairs.filter(([j, h]) => j === h).length;
  const confusion = confusionTable(pairs);
  const perCategory = confusion.labels.map((label, i) => {
    const judged = confusion.counts[i].reduce((a, b) => a + b, 0);
    const humanCount = confusion.counts.reduce((a, row) => a + row[i], 0);
    const both = confusion.counts[i][i];
    return { label, judged, humanCount, agreed: both, precision: wilson(both, judged), recall: wilson(both, humanCount) };
  });
  return {
    n,
    accuracy: wilson(agreed, n),
    kappa: bootstrap([pairs], (sample) => cohenKappa(sample).kappa, options),
    perCategory,
    confusion,
  };
}

/** Share of accepted analyses among those given a verdict (Wilson 95%), and the partly / rejected shares. */
export function acceptance(verdicts: readonly string[]): { n: number; accept: Estimate; partly: Estimate; reject: Estimate } {
  const n = verdicts.length;
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  return { n, accept: wilson(count('accept'), n), partly: wilson(count('partly'), n), reject: wilson(count('reject'), n) };
}
