import { defineDetector, type Observation, resolveAnswer } from './detector-definition.js';
import type { DetectContext } from './finding.js';
import { type ParsedNumber, relativeError } from './number-parsing.js';

const FAMILY = 'Numeric slip' as const;
/** Relative error up to which a different number counts as a near miss. */
export const NEAR_MISS_TOLERANCE = 0.05;
const RATIO_TOLERANCE = 0.01;
/** Unit factors are many, so a chance ratio near one of them needs a tighter match. */
const UNIT_TOLERANCE = 0.002;
const UNIT_FACTORS = [60, 100, 1000, 1024, 3600];

/** The answer's number and the reference's, when both exist and differ. */
function numbers(ctx: DetectContext): { answer: ParsedNumber; reference: ParsedNumber; quote: string } | undefined {
  const { answer, referenceNumber } = resolveAnswer(ctx);
  if (!answer?.number || !referenceNumber) return undefined;
  if (answer.number.value === referenceNumber.value) return undefined;
  return { answer: answer.number, reference: referenceNumber, quote: answer.quote };
}

function figures(n: { answer: ParsedNumber; reference: ParsedNumber; quote: string }): string {
  return `Output: "${n.quote}" → ${n.answer.value}; reference ${n.reference.raw} → ${n.reference.value}; relative error ${(relativeError(n.answer.value, n.reference.value) * 100).toFixed(2)}%.`;
}

function numericDetector(
  name: string,
  title: string,
  description: string,
  check: (a: number, r: number, n: { answer: ParsedNumber; reference: ParsedNumber }) => string | null,
  confidence: number,
) {
  return defineDetector({ name, family: FAMILY, title, description, mechanical: false }, (ctx): Observation | null => {
    const n = numbers(ctx);
    if (!n) return null;
    const summary = check(n.answer.value, n.reference.value, n);
    return summary ? { summary, evidence: figures(n), confidence } : null;
  });
}

const close = (a: number, b: number, tolerance = RATIO_TOLERANCE) => relativeError(a, b) <= tolerance;

export const signError = numericDetector(
  'sign_error',
  'Sign error',
  'The answer has the right magnitude but the opposite sign.',
  // -a within 1% of a non-zero r: a has r's magnitude and the opposite sign.
  (a, r) => (r !== 0 && close(-a, r) ? `Answers ${a}, the reference is ${r}: the sign is flipped.` : null),
  0.75,
);

export const powerOfTenError = numericDetector(
  'power_of_ten',
  'Off by a power of ten or a unit factor',
  'The answer differs from the reference by a factor of 10^k or a unit conversion factor (60, 100, 1000, 1024, 3600).',
  (a, r) => {
    // "100" against "10" says little; matching digits ("35.4" against "3.54e-07") are the evidence of a slip.
    // An answer of 0 has no sign to share; a reference of 0 has one significant digit: both stop here.
    if (Math.sign(a) !== Math.sign(r) || significantDigits(r) < 2) return null;
    const ratio = Math.abs(a / r);
    const exponent = Math.round(Math.log10(ratio));
    if (exponent !== 0 && close(ratio, 10 ** exponent))
      // Stryker disable next-line EqualityOperator: a non-zero rounded exponent means the ratio is not 1, so `>` equals `>=`; the `<` mutant is killed by the 1/10^2 test
      return `The answer is ${ratio >= 1 ? '' : '1/'}10^${Math.abs(exponent)} times the reference.`;
    for (const factor of UNIT_FACTORS) {
      if (close(ratio, factor, UNIT_TOLERANCE)) return `The answer is ${factor} times the reference (a unit conversion slip?).`;
      if (close(ratio, 1 / factor, UNIT_TOLERANCE)) return `The answer is 1/${factor} of the reference (a unit conversion slip?).`;
    }
    return null;
  },
  0.7,
);

export const roundingError = numericDetector(
  'rounding',
  'Rounding or precision mismatch',
  'The answer equals the reference once rounded to the same precision.',
  (a, r) => {
    if (!roundsTo(a, r)) return null;
    const digits = significantDigits(r);
    return `${a} rounds to the reference ${r} at its ${digits} significant digit${digits === 1 ? '' : 's'}; they differ only in precision.`;
  },
  0.7,
);

export const nearMiss = numericDetector(
  'near_miss',
  'Near miss',
  `The answer is within ${NEAR_MISS_TOLERANCE * 100}% of the reference but not equal to it.`,
  (a, r) => {
    if (roundsTo(a, r)) return null; // that is a rounding difference
    if (Number.isInteger(a) && Number.isInteger(r)) return null; // 25 for 26 is a miscount, not a near miss
    const error = relativeError(a, r);
    return error <= NEAR_MISS_TOLERANCE ? `${a} is ${(error * 100).toFixed(2)}% away from the reference ${r}.` : null;
  },
  0.65,
);

/** The answer rounded to the reference's significant digits equals it, and is close (35.4 → 35, not 2.4 → 2). */
function roundsTo(a: number, r: number): boolean {
  const digits = significantDigits(r);
  return Number(a.toPrecision(digits)) === Number(r.toPrecision(digits)) && relativeError(a, r) <= NEAR_MISS_TOLERANCE;
}

/** Significant digits of a value as written in shortest form: 3.54e-7 → 3, 8.9 → 2, 100 → 1, 0 → 1. */
function significantDigits(value: number): number {
  // toExponential() without a precision writes the shortest mantissa: no trailing zeros ("1e+2", "0e+0").
  return Math.abs(value).toExponential().split('e')[0].replace('.', '').length;
}
