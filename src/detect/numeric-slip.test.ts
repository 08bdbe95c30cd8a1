import { describe, expect, it } from 'vitest';
import { context, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { detectFailure } from './run-detectors.js';

/** The numeric-slip findings on a TheoremQA answer against its reference, as detector, summary and evidence. */
function slips(answer: string, reference: string) {
  const ctx = context({
    inputText: THEOREM_INPUT,
    outputText: `The glider moves along the track. Therefore, the answer is ${answer}.`,
    correctAnswer: reference,
  });
  return detectFailure(ctx)
    .filter((f) => f.family === 'Numeric slip')
    .map(({ detector, summary, evidence, confidence }) => ({ detector, summary, evidence, confidence }));
}

const evidence = (answer: string, reference: string, value: number, error: string) =>
  `Output: "answer is ${answer}." → ${answer}; reference ${reference} → ${value}; relative error ${error}%.`;

describe('numeric slips', () => {
  it.each<[string, string, string, string, string]>([
    ['sign_error', '-101', '100', 'Answers -101, the reference is 100: the sign is flipped.', '201.00'],
    ['power_of_ten', '0.354', '35.4', 'The answer is 1/10^2 times the reference.', '99.00'],
    ['power_of_ten', '35', '3.5', 'The answer is 10^1 times the reference.', '900.00'],
    ['power_of_ten', '2.16', '0.036', 'The answer is 60 times the reference (a unit conversion slip?).', '5900.00'],
    ['power_of_ten', '0.6', '36', 'The answer is 1/60 of the reference (a unit conversion slip?).', '98.33'],
    ['rounding', '0.31', '0.3', '0.31 rounds to the reference 0.3 at its 1 significant digit; they differ only in precision.', '3.33'],
    ['rounding', '35.4', '35', '35.4 rounds to the reference 35 at its 2 significant digits; they differ only in precision.', '1.14'],
    ['rounding', '105.2', '105', '105.2 rounds to the reference 105 at its 3 significant digits; they differ only in precision.', '0.19'],
    ['near_miss', '26', '25.3', '26 is 2.77% away from the reference 25.3.', '2.77'],
    ['near_miss', '0.005', '0', '0.005 is 0.50% away from the reference 0.', '0.50'],
  ])('%s: %s against %s', (detector, answer, reference, summary, error) => {
    expect(slips(answer, reference)).toEqual([
      {
        detector,
        summary,
        evidence: evidence(answer, reference, Number(reference), error),
        confidence: { sign_error: 0.75, power_of_ten: 0.7, rounding: 0.7, near_miss: 0.65 }[detector],
      },
    ]);
  });

  it('flags a flipped sign up to 1% off in magnitude', () => {
    expect(slips('-101', '100').map((f) => f.detector)).toEqual(['sign_error']);
    expect(slips('-102', '100').map((f) => f.detector)).toEqual([]);
  });

  it('calls an answer 5% off that rounds to the reference a rounding difference, not a near miss', () => {
    expect(slips('10.5', '10').map((f) => f.summary)).toEqual([
      '10.5 rounds to the reference 10 at its 1 significant digit; they differ only in precision.',
    ]);
  });

  it('calls an answer exactly 5% off that does not round to the reference a near miss', () => {
    expect(slips('2.625', '2.5').map((f) => f.summary)).toEqual(['2.625 is 5.00% away from the reference 2.5.']);
  });

  it.each([
    ['the same value, scored wrong', '35.4', '35.4'],
    ['zero against a reference of two digits', '0', '3.5'],
    ['ten times the reference with the opposite sign', '-35.4', '3.54'],
    ['a power of ten against a one-digit reference', '0.5', '30'],
    ['a one-digit reference that rounds from 20% away', '2.4', '2'],
    ['a miscount of whole numbers', '25', '26'],
  ])('finds no slip in %s (%s against %s)', (_case, answer, reference) => {
    expect(slips(answer, reference)).toEqual([]);
  });
});
