/** Agreement between two labellings of the same items. */

export interface Agreement {
  /** Items labelled by both. */
  n: number;
  /** Observed agreement. */
  observed: number;
  /** Agreement expected by chance from each labelling's marginal shares. */
  expected: number;
  /** Cohen's kappa: (observed − expected) / (1 − expected); 1 when both labellings are constant and equal. */
  kappa: number;
  /**
   * 95% interval of kappa from Cohen's large-sample standard error √(po(1 − po) / (n(1 − pe)²)), clipped
   * to [−1, 1]; an approximation, rough below a few dozen items.
   */
  kappaLow: number;
  kappaHigh: number;
}

/** Cohen's kappa over pairs of labels (first labelling, second labelling). */
export function cohenKappa(pairs: readonly (readonly [string, string])[]): Agreement {
  const n = pairs.length;
  // Stryker disable next-line ConditionalExpression: with no pairs every figure below is 0/0, NaN as well
  if (n === 0) return { n: 0, observed: Number.NaN, expected: Number.NaN, kappa: Number.NaN, kappaLow: Number.NaN, kappaHigh: Number.NaN };
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [label, count] of first) expected += (count / n) * ((second.get(label) ?? 0) / n);
  const observed = agree / n;
  // Chance agreement is 1 only when both labellings give every item one and the same label: they agree fully.
  const kappa = expected >= 1 ? 1 : (observed - expected) / (1 - expected);
  const se = expected >= 1 ? 0 : Math.sqrt((observed * (1 - observed)) / (n * (1 - expected) ** 2));
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  return { n, observed, expected, kappa, kappaLow: clip(kappa - 1.96 * se), kappaHigh: clip(kappa + 1.96 * se) };
}
