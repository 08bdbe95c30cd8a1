const integer = new Intl.NumberFormat('en-US');

export const fmtInt = (n: number): string => integer.format(n);

/**
 * Every share the viewer shows, one rounding rule: one decimal of a percent, so the tree, the tables and
 * the heatmap agree (0.3% is never shown as 0% elsewhere).
 */
export function fmtPct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A p value: three significant digits, or "< 0.0001". */
export function fmtP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** A cost, or "unknown price" when the judge's price was not known. */
export function fmtUsd(x: number | undefined): string {
  if (x === undefined) return 'unknown price';
  return x < 0.01 && x > 0 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export function fmtScore(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, '');
}
