/**
 * Krippendorff's alpha for nominal labels. `units` holds, per reviewed item, the labels the reviewers gave
 * (missing reviewers simply absent). Items with fewer than two labels cannot be paired and are left out.
 * alpha = 1 − D_o / D_e, from the coincidence counts: observed disagreement within items against the
 * disagreement expected from the pooled labels. NaN when fewer than two labels can be paired; 1 when all
 * pairable labels are the same one.
 */
export function krippendorffAlphaNominal(units: readonly (readonly string[])[]): number {
  const pairable = units.filter((u) => u.length >= 2);
  const totals = new Map<string, number>();
  let n = 0;
  let disagreement = 0;
  for (const unit of pairable) {
    const counts = new Map<string, number>();
    for (const v of unit) counts.set(v, (counts.get(v) ?? 0) + 1);
    let same = 0;
    for (const [v, c] of counts) {
      same += c * c;
      totals.set(v, (totals.get(v) ?? 0) + c);
    }
    const m = unit.length;
    disagreement += (m * m - same) / (m - 1);
    n += m;
  }
  if (n < 2) return Number.NaN;
  let sameTotal = 0;
  for (const c of totals.values()) sameTotal += c * c;
  const expected = (n * n - sameTotal) / (n * (n - 1));
  if (expected === 0) return 1;
  return 1 - disagreement / n / expected;
}
