import { describe, expect, it } from 'vitest';
import { closedFormValue } from './answer-value.js';
import { evaluateClosedForm } from './closed-form-math.js';

describe('closed-form evaluation (the mathjs subset answers are read with)', () => {
  it.each([
    ['3 + 4 * 2', 11],
    ['(1 - 4) / 2', -1.5],
    ['2^10', 1024],
    ['7 % 3', 1],
    ['5!', 120],
    ['-(3)', -3],
    ['+2', 2],
    ['6 & 3', 2],
    ['6 | 3', 7],
    ['6 ^| 3', 5],
    ['~0', -1],
    ['1 << 4', 16],
    ['-16 >> 2', -4],
    ['16 >>> 2', 4],
    ['abs(-2.5)', 2.5],
    ['sqrt(16)', 4],
    ['log(e)', 1],
    ['log10(1000)', 3],
    ['exp(0)', 1],
    ['sin(0) + cos(0) + tan(0)', 1],
    ['factorial(4)', 24],
    ['2 pi', 2 * Math.PI],
  ])('%s = %d', (source, value) => {
    expect(evaluateClosedForm(source)).toBeCloseTo(value, 12);
  });

  it('refuses what is not a closed-form number (comparisons, matrices, ranges), which answers read as no closed form', () => {
    expect(() => evaluateClosedForm('2 < 3')).toThrow(/larger|smaller|missing/i);
    expect(() => evaluateClosedForm('[1, 2]')).toThrow();
    expect(closedFormValue('2 < 3')).toBeUndefined();
    expect(closedFormValue('\\frac{1}{4} + \\sqrt{9}')).toBeCloseTo(3.25, 12);
  });
});
