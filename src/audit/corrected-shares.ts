import type { LabelPair } from './agreement-stats.js';
import { bootstrapMany, type Estimate } from './bootstrap.js';

export interface CorrectedShare {
  label: string;
  /** The share of failures the judge put in this category (the run's taxonomy). */
  judgeShare: number;
  /** Estimated share had every failure been categorised by a reviewer, with a bootstrap 95% interval. */
  corrected: Estimate;
  /** Reviewed items the judge had put in this category. */
  reviewed: number;
}

/**
 * Shares corrected for the judge's measured misclassification. The audit sample is drawn per judge category,
 * so it estimates P(reviewer says j | judge said i) for each i; the corrected share of j is
 * Σ_i judgeShare_i · P(j | i). Categories without a reviewed item are taken as the judge has them
 * (P(i | i) = 1): the correction can only move what was measured. The interval resamples within each judge
 * category (the strata), with the seed.
 */
export function correctedShares(
  judgeShares: ReadonlyMap<string, number>,
  pairs: readonly LabelPair[],
  options: { seed: number; resamples?: number },
): CorrectedShare[] {
  const labels = [...judgeShares.keys()];
  for (const [, h] of pairs) if (!labels.includes(h)) labels.push(h);
  const strata = new Map<string, LabelPair[]>();
  for (const p of pairs) strata.set(p[0], [...(strata.get(p[0]) ?? []), p]);
  const estimate = (sample: LabelPair[]): number[] => {
    const rows = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    for (const [j, h] of sample) {
      const row = rows.get(j) ?? new Map<string, number>();
      row.set(h, (row.get(h) ?? 0) + 1);
      rows.set(j, row);
      totals.set(j, (totals.get(j) ?? 0) + 1);
    }
    return labels.map((target) => {
      let share = 0;
      for (const [source, q] of judgeShares) {
        const total = totals.get(source) ?? 0;
        share += q * (total > 0 ? (rows.get(source)?.get(target) ?? 0) / total : source === target ? 1 : 0);
      }
      return share;
    });
  };
  const estimates = bootstrapMany([...strata.values()], estimate, {
    seed: options.seed,
    purpose: 'corrected-shares',
    resamples: options.resamples,
  });
  return labels.map((label, i) => ({
    label,
    judgeShare: judgeShares.get(label) ?? 0,
    corrected: estimates[i],
    reviewed: strata.get(label)?.length ?? 0,
  }));
}
