import { describe, expect, it } from 'vitest';
import { MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { detectAnswerFormat, extractAnswer } from './answer-extraction.js';

describe('detectAnswerFormat', () => {
  it('reads a letter choice, with its options, from an MMLU-Pro prompt', () => {
    const format = detectAnswerFormat(MMLU_INPUT, 'D. $803.88');
    expect(format).toMatchObject({ kind: 'choice', required: true });
    expect(format.kind === 'choice' && format.options.find((o) => o.letter === 'D')?.text).toBe('$803.88');
  });

  it('reads a number when the prompt asks "the answer is ..." and the reference is numeric', () => {
    expect(detectAnswerFormat(THEOREM_INPUT, '-0.3').kind).toBe('number');
    expect(detectAnswerFormat(THEOREM_INPUT, 'True').kind).toBe('phrase');
  });

  it('treats an open instruction as free text, and a bare numeric reference as optional', () => {
    expect(detectAnswerFormat('How do I detail a car?', 'First, wash it.').kind).toBe('free');
    const horses = detectAnswerFormat('How many horses are in this story?', '2');
    expect(horses.kind).toBe('number');
    expect(horses.required).toBe(false);
  });

  it('follows the configured format over detection', () => {
    expect(detectAnswerFormat('Solve it.', '7', { kind: 'boxed' }).kind).toBe('boxed');
    const regex = detectAnswerFormat('Solve it.', '7', { kind: 'regex', pattern: 'ANSWER: (\\d+)' });
    expect(extractAnswer('work... ANSWER: 42', regex)?.text).toBe('42');
  });
});

describe('extractAnswer', () => {
  const choice = detectAnswerFormat(MMLU_INPUT, 'D. $803.88');
  const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');

  it('reads "the answer is (X)" strictly, as MMLU-Pro scores it', () => {
    const answer = extractAnswer(' The answer is (F).\n\n', choice);
    expect(answer).toMatchObject({ text: 'F', strict: true });
  });

  it('reads "Final Answer: C." and "closest option is C" only as fallbacks', () => {
    expect(extractAnswer('Final Answer: C. Diamond, quartz', choice)).toMatchObject({ text: 'C', strict: false });
    expect(extractAnswer('the closest option is C. $784.16. This is a mistake.', choice)).toMatchObject({ text: 'C', strict: false });
    expect(
      extractAnswer('Based on these principles, the closest answer is:\n\nJ. Procedure block may appear anywhere', choice),
    ).toMatchObject({ text: 'J', strict: false });
  });

  it('finds no letter in reasoning that is cut off', () => {
    expect(extractAnswer('Cost stock turnover rate = $250,000 / $75,000 = 3.33\n\nNumber', choice)).toBeUndefined();
  });

  it('reads numbers in the forms models write them', () => {
    expect(extractAnswer('Therefore, the answer is -3/8.', number)?.number?.value).toBe(-0.375);
    expect(extractAnswer('Therefore, the answer is 362,880.', number)?.number?.value).toBe(362880);
    expect(extractAnswer('Therefore, the answer is 4.656 x 10^-34 m.', number)?.number?.value).toBeCloseTo(4.656e-34, 40);
    expect(extractAnswer('Therefore, the answer is 5C3 x 3! = 60.', number)?.number?.value).toBe(60);
    expect(extractAnswer('Therefore, the index of refraction of the water is 1.23.', number)?.number?.value).toBe(1.23);
  });

  it('does not read a number out of a formula: the answer is the expression', () => {
    const closed = extractAnswer('Therefore, the answer is:\n   1/2 * ln(1+sqrt(3)) * 2 = ln(1+sqrt(3))', number);
    expect(closed?.number).toBeUndefined();
    expect(closed?.value).toMatchObject({ form: 'expression' });
    expect((closed?.value as { value?: number } | undefined)?.value).toBeCloseTo(Math.log(1 + Math.sqrt(3)), 9);
    const symbolic = extractAnswer('Therefore, the elasticity value of the demand function is $\\frac{p}{50-p}$.', number);
    expect(symbolic?.number).toBeUndefined();
    expect(symbolic?.value).toEqual({ form: 'expression', expression: '\\frac{p}{50-p}' });
  });

  it('ignores a conditional "if the answer is True"', () => {
    const phrase = detectAnswerFormat(THEOREM_INPUT, 'True');
    expect(extractAnswer('Step 6: If the answer is True, then the function has a value of x', phrase)).toBeUndefined();
    expect(extractAnswer('True. \n\nThe fifth Maclaurin polynomial for sin(x) is x - x^3/3!', phrase)?.text).toBe('True');
  });
});
