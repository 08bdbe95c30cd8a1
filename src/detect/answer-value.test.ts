import { describe, expect, it } from 'vitest';
import { type AnswerValue, closedFormValue, readAnswerValue } from './answer-value.js';

const number = (value: number, raw: string, decimals = 0, extra: { percent?: boolean; unit?: string } = {}): AnswerValue => ({
  form: 'number',
  number: { value, decimals, raw },
  percent: extra.percent ?? false,
  ...(extra.unit === undefined ? {} : { unit: extra.unit }),
});
const TEXT: AnswerValue = { form: 'text' };

describe('readAnswerValue: the value after the last marker', () => {
  it.each<[string, string, AnswerValue]>([
    ['the value after "is"', 'The magnification is -3', number(-3, '-3')],
    ['the value after "≈", with its unit', 'v_2 ≈ 15 m/s', number(15, '15', 0, { unit: 'm/s' })],
    ['the value after "≈" with no space', 'v≈0.52', number(0.52, '0.52', 2)],
    ['the value after the last of two "is"', 'x = 3 and y is 4', number(4, '4')],
    [
      'the value after the last "is" of a sentence with two',
      'The tension in rope A is 30 N and in rope B is 45 N',
      number(45, '45', 0, { unit: 'N' }),
    ],
    ['the last of two alternatives', 'The answer is 7 or 8', number(8, '8')],
    ['a thousands comma after "="', 'n = 1,200', number(1200, '1,200')],
    ['a decimal after "="', 'x = 3.25', number(3.25, '3.25', 2)],
    ['a value with an uncertainty is not one number', 'x = 12 ± 0.5', TEXT],
  ])('%s: %s', (_rule, phrase, expected) => {
    expect(readAnswerValue(phrase)).toEqual(expected);
  });

  it('reads a formula in s (a Laplace transform) whole, not as the word "is"', () => {
    expect(readAnswerValue('s^2 + 2s + 5')).toEqual({ form: 'expression', expression: 's^2 + 2s + 5' });
  });
});

describe('readAnswerValue: what comes before and after the number', () => {
  it.each<[string, string, AnswerValue]>([
    ['an option label before the value', 'The answer is (c) 67 workers', number(67, '67', 0, { unit: 'workers' })],
    ['an option label at the start', '(c) 67 workers', number(67, '67', 0, { unit: 'workers' })],
    ['an option label without its opening bracket', 'c) 67 workers', number(67, '67', 0, { unit: 'workers' })],
    ['"approximately" after the marker', 'The speed is approximately 5 m/s', number(5, '5', 0, { unit: 'm/s' })],
    ['"approximately" at the start', 'approximately 5 m/s', number(5, '5', 0, { unit: 'm/s' })],
    ['"at least" at the start', 'at least 7', number(7, '7')],
    ['"~" written against the number', '~0.5 kg', number(0.5, '0.5', 1, { unit: 'kg' })],
    ['a hedge after the unit is a note, not part of the unit', 'The total is 12 dollars, roughly', number(12, '12')],
    ['a trailing full stop after the unit', '12 kg.', number(12, '12', 0, { unit: 'kg' })],
    ['a full stop and a line break after the unit', '12 kg.\n', number(12, '12', 0, { unit: 'kg' })],
    ['a currency sign set off by a space', '€ 250 per month', number(250, '250', 0, { unit: 'per month' })],
    ['a value in square brackets with a unit', '[12] kg', number(12, '12')],
    ['a boxed fraction with a unit after the box', '\\boxed{\\frac{3}{8}} m', number(0.375, '\\frac{3}{8}', 0, { unit: 'm' })],
    ['a note in brackets after the value', '1.176 (in 10^5 Pa)', number(1.176, '1.176', 3)],
    ['a unit in square brackets is not a list', '12 [kg]', number(12, '12')],
    ['a currency sign before the value', '$5.50', number(5.5, '5.50', 2)],
    ['a currency sign and a unit in words', '$5.50 per kg', number(5.5, '5.50', 2, { unit: 'per kg' })],
    ['a label before the currency sign keeps the words after it out of the unit', 'cost: $12 million', number(12, '12')],
    ['a percent sign', '37.5%', number(37.5, '37.5', 1, { percent: true })],
    ['a percent sign then a unit', '37.5 % per year', number(37.5, '37.5', 1, { percent: true })],
    ['a percent of a named whole', '25% of the class', number(25, '25', 0, { percent: true })],
    ['a percent of a number is not a plain percentage', '37.5% of 12', number(37.5, '37.5', 1)],
    ['a power of ten written with brackets', '3.2 \\times 10^(-19) C', number(3.2 * 10 ** -19, '3.2 \\times 10^-19 ', 1, { unit: 'C' })],
    ['a positive power of ten written with brackets', '2 \\times 10^(5) Pa', number(2e5, '2 \\times 10^5 ', 0, { unit: 'Pa' })],
    ['a number in scientific notation with a compound unit', '3 × 10^8 m/s', number(3e8, '3 × 10^8 ', 0, { unit: 'm/s' })],
    ['a boxed fraction', '\\boxed{\\frac{3}{8}}', number(0.375, '\\frac{3}{8}')],
    ['a display fraction', '\\dfrac{3}{4}', number(0.75, '\\frac{3}{4}')],
    ['a minus sign outside a fraction', '-\\frac{35}{16}', number(-2.1875, '-\\frac{35}{16}')],
    ['a minus sign and a space outside a fraction', '- \\frac{35}{16}', number(-2.1875, '- \\frac{35}{16}')],
  ])('%s: %s', (_rule, phrase, expected) => {
    expect(readAnswerValue(phrase)).toEqual(expected);
  });
});

describe('readAnswerValue: answers that are not a plain number', () => {
  it.each<[string, string, AnswerValue]>([
    ['"undefined"', 'undefined', { form: 'nonexistent', phrase: 'undefined' }],
    ['"DNE"', 'DNE', { form: 'nonexistent', phrase: 'DNE' }],
    ['a divergent series with a power in it', 'the sum of n^2 diverges', { form: 'nonexistent', phrase: 'the sum of n^2 diverges' }],
    [
      'a divergent integral with a two-digit negative power',
      'the integral of x^-10 diverges',
      { form: 'nonexistent', phrase: 'the integral of x^-10 diverges' },
    ],
    ['a word without digits is text, not a claim of non-existence', 'yes', TEXT],
    ['letters without digits', 'x + y', TEXT],
    ['a list', '[1, 2, 3]', TEXT],
    ['a one-element list', '[12]', TEXT],
    ['an empty phrase', '', TEXT],
    ['a sentence with two numbers', 'between 10 and 12 people attend', TEXT],
    ['a formula with variables', 'x^2 - 1', { form: 'expression', expression: 'x^2 - 1' }],
    ['a fraction with a variable in the numerator', '\\frac{2x}{3}', { form: 'expression', expression: '\\frac{2x}{3}' }],
    ['a fraction with a variable after two digits', '\\frac{12x}{5}', { form: 'expression', expression: '\\frac{12x}{5}' }],
    ['a negative fraction over zero', '-\\frac{1}{0}', { form: 'expression', expression: '-\\frac{1}{0}' }],
    ['a point given as a pair of fractions', '(\\frac{1}{2}, \\frac{3}{4})', TEXT],
    [
      'a sum of roots, with its value',
      '\\sqrt{2} + \\sqrt{3}',
      { form: 'expression', expression: '\\sqrt{2} + \\sqrt{3}', value: Math.SQRT2 + Math.sqrt(3) },
    ],
    ['a sum, with its value', '5 + 3', { form: 'expression', expression: '5 + 3', value: 8 }],
    ['a multiple of π plus a number', '3 + 2π', { form: 'expression', expression: '3 + 2π', value: 3 + 2 * Math.PI }],
    ['a multiple of π then more formula', '2π + 1', { form: 'expression', expression: '2π + 1', value: 2 * Math.PI + 1 }],
  ])('%s: %s', (_rule, phrase, expected) => {
    expect(readAnswerValue(phrase)).toEqual(expected);
  });
});

describe('readAnswerValue: multiples of π', () => {
  it.each<[string, number, string]>([
    ['π', Math.PI, 'π'],
    ['50π', 50 * Math.PI, '50π'],
    ['.5π', 0.5 * Math.PI, '.5π'],
    ['0.25π', 0.25 * Math.PI, '0.25π'],
    ['2 π', 2 * Math.PI, '2 π'],
    ['−2π', -2 * Math.PI, '−2π'],
    ['2\\pi rad/s', 2 * Math.PI, '2\\pi rad/s'],
    ['4π m^2', 4 * Math.PI, '4π m^2'],
    ['\\frac{\\pi}{2}', Math.PI / 2, '\\frac{\\pi}{2}'],
  ])('%s is %d', (phrase, value, raw) => {
    expect(readAnswerValue(phrase)).toEqual(number(value, raw));
  });
});

describe('readAnswerValue: a sentence stating one number', () => {
  it.each<[string, AnswerValue]>([
    ['roughly 10 bits are required on the average', number(10, '10')],
    ['12 apples each day', number(12, '12')],
    ['the car travels 1,200 miles', number(1200, '1,200')],
    ['3.25 liters of water remain', number(3.25, '3.25', 2)],
  ])('%s', (phrase, expected) => {
    expect(readAnswerValue(phrase)).toEqual(expected);
  });

  it('does not count function names as words of a sentence', () => {
    const read = readAnswerValue('\\sin(\\pi/6) + \\cos(0) + \\tan(\\pi/4)');
    expect(read).toMatchObject({ form: 'expression', expression: '\\sin(\\pi/6) + \\cos(0) + \\tan(\\pi/4)' });
    expect(read.form === 'expression' ? read.value : Number.NaN).toBeCloseTo(2.5, 12);
  });
});

describe('closedFormValue', () => {
  it.each<[string, number]>([
    ['\\frac{12}{5}', 2.4],
    ['\\frac{12}{25}', 0.48],
    ['\\sqrt{16}', 4],
    ['2 \\times 3', 6],
    ['2 \\cdot 3', 6],
    ['2×3', 6],
    ['2·3', 6],
    ['\\ln(e)', 1],
    ['2^{10}', 1024],
    ['−3 + 5', 2],
    ['1,000 + 2', 1002],
    // "1/2π" is half of π: the multiplication after a number binds like a written "*".
    ['1/2\\pi', Math.PI / 2],
    ['5! ways', 120],
    ['3 units', 3],
    ['1 unit', 1],
  ])('%s = %d', (expression, value) => {
    expect(closedFormValue(expression)).toBeCloseTo(value, 12);
  });

  it.each([
    ['a free variable', '2x + 1'],
    ['a function outside the known ones', 'mod(7, 3)'],
    ['a division by zero', '1/0'],
    ['a decimal comma', '1,5 + 2'],
  ])('has no value for %s: %s', (_rule, expression) => {
    expect(closedFormValue(expression)).toBeUndefined();
  });

  it('evaluates an expression of up to 120 characters, and none longer', () => {
    const longest = ` ${'1+'.repeat(59)}1`;
    expect(longest).toHaveLength(120);
    expect(closedFormValue(longest)).toBe(60);
    expect(closedFormValue(` ${longest}`)).toBeUndefined();
  });
});

describe('readAnswerValue: a value that ends in brackets or follows π with an operator', () => {
  it('reads a power of ten whose exponent is in brackets at the very end', () => {
    expect(readAnswerValue('1.2 \\times 10^(-36)')).toEqual(number(1.2 * 10 ** -36, '1.2 \\times 10^-36', 1));
  });

  it.each<[string, number]>([
    ['π/4', Math.PI / 4],
    ['4π/3', (4 * Math.PI) / 3],
    ['2π^2', 2 * Math.PI ** 2],
  ])('reads %s as a formula with its value, not as a multiple of π with a unit', (phrase, value) => {
    const read = readAnswerValue(phrase);
    expect(read).toMatchObject({ form: 'expression', expression: phrase });
    expect(read.form === 'expression' ? read.value : Number.NaN).toBeCloseTo(value, 12);
  });
});
