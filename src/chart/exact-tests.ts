/** Exact tests on small count tables: Fisher's exact test (2×2) and the exact McNemar test. */

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let k = logFactorials.length; k <= n; k++) logFactorials[k] = logFactorials[k - 1] + Math.log(k);
  return logFactorials[n];
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/** Relative tolerance when comparing table probabilities, so ties are not lost to rounding (as in R). */
const TIE_TOLERANCE = 1 + 1e-7;

function assertCounts(...xs: number[]): void {
  for (const x of xs) if (!Number.isInteger(x) || x < 0) throw new RangeError(`exact test needs non-negative integer counts, got ${x}`);
}

/**
 * Fisher's exact test, two-sided, for the table [[a, b], [c, d]]: the total hypergeometric probability
 * of every table with the same margins that is no more likely than the observed one.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  assertCounts(a, b, c, d);
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  // Stryker disable next-line ConditionalExpression: the one empty table has probability 1 in the sum below too
  if (n === 0) return 1;
  const logDenom = logChoose(n, col1);
  const logP = (x: number) => logChoose(row1, x) + logChoose(row2, col1 - x) - logDenom;
  const observed = logP(a);
  // Stryker disable next-line MethodExpression: tables outside these bounds have a NaN log probability and are never summed
  const lo = Math.max(0, col1 - row2);
  // Stryker disable next-line MethodExpression: as above
  const hi = Math.min(row1, col1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x);
    // Stryker disable next-line EqualityOperator: equality with observed × (1 + 1e-7) is not reached by a table probability
    if (lp <= observed + Math.log(TIE_TOLERANCE)) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Two-sided exact binomial test of `k` successes in `n` trials against p = 1/2 (doubled smaller tail). */
export function binomialTestHalf(k: number, n: number): number {
  assertCounts(k, n);
  // Stryker disable next-line ConditionalExpression: for n = 0 the doubled tail below is 2 × 1, clipped to 1
  if (n === 0) return 1;
  const m = Math.min(k, n - k);
  let tail = 0;
  for (let x = 0; x <= m; x++) tail += Math.exp(logChoose(n, x) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/**
 * Exact McNemar test on paired outcomes: only discordant pairs carry information, and under the null
 * hypothesis each discordant pair goes either way with probability 1/2.
 * `onlyFirst` = pairs where the first condition holds and the second not; `onlySecond` the reverse.
 */
export function exactMcNemar(onlyFirst: number, onlySecond: number): number {
  return binomialTestHalf(onlyFirst, onlyFirst + onlySecond);
}
