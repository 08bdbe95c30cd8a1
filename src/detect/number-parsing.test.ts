import { describe, expect, it } from 'vitest';
import { firstNumber, parseWholeNumber, relativeError, stripMathMarkup } from './number-parsing.js';

const n = (value: number, raw: string, decimals = 0) => ({ value, decimals, raw });

describe('stripMathMarkup', () => {
  it.each([
    ['$\\boxed{42}$', '42'],
    ['5\\text{ km}', '5 km'],
    ['\\mathrm{Pa}', 'Pa'],
    ['1\\,000\\;000', '1000000'],
    ['\\left(3\\right)', '(3)'],
    ['`12`', '12'],
    ['\\(x\\) and \\[y\\]', 'x and y'],
    ['50\\%', '50%'],
  ])('removes the LaTeX around a value: %j', (text, stripped) => {
    expect(stripMathMarkup(text)).toBe(stripped);
  });
});

describe('firstNumber', () => {
  it.each([
    ['v = 5 m/s', n(5, '5')],
    ['The probability is 3/8', n(0.375, '3/8')],
    ['x = 3 / 8', n(0.375, '3/8')],
    ['3/16 of the mass', n(3, '3')],
    ['3/16', n(0.1875, '3/16')],
    ['1/2.5', n(0.4, '1/2.5')],
    ['1/2.25', n(1 / 2.25, '1/2.25')],
    ['3/8, rounded', n(0.375, '3/8')],
    ['3/8 ', n(0.375, '3/8')],
    ['3, 7/8', n(3, '3')],
    ['3/2x', n(3, '3')],
    ['3/2 x', n(3, '3')],
    ['3/25x', n(3, '3')],
    ['3/0', n(3, '3')],
    ['1.23', n(1.23, '1.23', 2)],
    ['-0.375', n(-0.375, '-0.375', 3)],
    ['−12', n(-12, '−12')],
    ['362,880 ways', n(362880, '362,880')],
    ['1.5e-3', n(0.0015, '1.5e-3', 1)],
    ['3.2 \\times 10^{5} Pa', n(320000, '3.2 \\times 10^{5}', 1)],
    ['6 \\times 10^{5} / 2', n(600000, '6 \\times 10^{5}')],
    ['\\frac{3}{8}', n(0.375, '\\frac{3}{8}')],
    ['\\dfrac{1}{4}', n(0.25, '\\dfrac{1}{4}')],
    ['\\frac{a}{b} = 0.5', n(0.5, '0.5', 1)],
    ['\\frac{1}{0} or 2', n(2, '2')],
    ['1e400 or 7', n(7, '7')],
  ])('reads the first number of %j', (text, expected) => {
    expect(firstNumber(text)).toStrictEqual(expected);
  });

  it('reads a power of ten written with x', () => {
    expect(firstNumber('4.656 x 10^-34')).toStrictEqual({ value: 4.656 * 10 ** -34, decimals: 3, raw: '4.656 x 10^-34' });
  });

  it.each([
    ['\\frac{\\pi}{2}', Math.PI / 2],
    ['\\frac{2\\pi}{3}', (2 * Math.PI) / 3],
    ['\\frac{2 \\pi}{3}', (2 * Math.PI) / 3],
    ['\\frac{ π }{4}', Math.PI / 4],
    ['\\frac{1.25\\pi}{2}', (1.25 * Math.PI) / 2],
    ['\\frac{3}{2\\pi}', 3 / (2 * Math.PI)],
  ])('reads a fraction with a multiple of π: %j', (text, value) => {
    expect(firstNumber(text)?.value).toBeCloseTo(value, 12);
  });

  it.each([['\\frac{\\pi r}{2}'], ['\\frac{r\\pi}{2}'], ['\\frac{\\pi^2}{6}'], ['\\frac{π^2}{6}'], ['no figures here']])(
    'reads no number from a fraction whose π term holds more than a factor, or from text without figures: %j',
    (text) => {
      expect(firstNumber(text)).toBeUndefined();
    },
  );
});

describe('parseWholeNumber', () => {
  it.each([
    ['42', n(42, '42')],
    [' 42 ', n(42, '42')],
    ['42.', n(42, '42')],
    ['-0.375', n(-0.375, '-0.375', 3)],
    ['−5', n(-5, '−5')],
    ['1.2e-3', n(0.0012, '1.2e-3', 1)],
    ['60%', n(60, '60')],
    ['60 %', n(60, '60')],
    ['3/8', n(0.375, '3/8')],
    ['-3/8', n(-0.375, '-3/8')],
    ['−3/8', n(-0.375, '−3/8')],
    ['3 / 8', n(0.375, '3/8')],
    ['12/16', n(0.75, '12/16')],
    ['$\\frac{3}{8}$', n(0.375, '\\frac{3}{8}')],
    ['3 \\times 10^{5}', n(300000, '3 \\times 10^{5}')],
    ['-3 \\times 10^{5}', n(-300000, '-3 \\times 10^{5}')],
    ['2.5 \\times 10^{-3}', n(0.0025, '2.5 \\times 10^{-3}', 1)],
    ['\\times 10^{5}', n(100000, '\\times 10^{5}')],
    ['-\\times 10^{5}', n(-100000, '-\\times 10^{5}')],
    ['+\\times 10^{5}', n(100000, '+\\times 10^{5}')],
  ])('reads the reference %j as one number', (text, expected) => {
    expect(parseWholeNumber(text)).toStrictEqual(expected);
  });

  it.each([[''], ['True'], ['1,2'], ['5 m/s'], ['3 \\times 10^{5} / 2'], ['[2, 3, 4]'], ['1e400']])(
    'reads no number when the reference %j is not only a number',
    (text) => {
      expect(parseWholeNumber(text)).toBeUndefined();
    },
  );
});

describe('relativeError', () => {
  it.each([
    [95.5, 100, 0.045],
    [-2, 2, 2],
    [0.5, 0, 0.5],
    [-0.5, 0, 0.5],
  ])('the error of %d against %d is %d', (actual, expected, error) => {
    expect(relativeError(actual, expected)).toBeCloseTo(error, 12);
  });
});
