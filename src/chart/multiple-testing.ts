/** Corrections for testing many categories at once. Both return adjusted p-values in the input order. */

function order(ps: readonly number[]): number[] {
  // sort is stable: equal p values keep their input order
  return ps.map((_, i) => i).sort((i, j) => ps[i] - ps[j]);
}

/** Holm–Bonferroni step-down adjustment: controls the family-wise error rate under any dependence. */
export function holmAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  // Stryker disable next-line ArrayDeclaration: every index is written below, whatever the initial length
  const adjusted = new Array<number>(m);
  let running = 0;
  order(ps).forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * ps[idx]));
    adjusted[idx] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg step-up adjustment: controls the false discovery rate (independent or positively dependent tests). */
export function benjaminiHochbergAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  // Stryker disable next-line ArrayDeclaration: every index is written below, whatever the initial length
  const adjusted = new Array<number>(m);
  const sorted = order(ps);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = sorted[rank];
    running = Math.min(running, (m / (rank + 1)) * ps[idx]);
    adjusted[idx] = Math.min(1, running);
  }
  return adjusted;
}
