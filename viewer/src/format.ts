const integer = new Intl.NumberFormat('en-US');

export const fmtInt = (n: number): string => integer.format(n);

export function fmtPct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** A cost, or "unknown price" when the judge's price was not known. */
export function fmtUsd(x: number | undefined): string {
  if (x === undefined) return 'unknown price';
  return x < 0.01 && x > 0 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export function fmtScore(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, '');
}
