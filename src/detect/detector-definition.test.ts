import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { headQuote, isBlank, resolveAnswer, tailQuote } from './detector-definition.js';

describe('resolveAnswer', () => {
  it('reads a multiple-choice answer with the reference letter and the listed options', () => {
    const resolved = resolveAnswer(context({ inputText: MMLU_INPUT, correctAnswer: 'D', outputText: 'The answer is (B).' }));
    expect(resolved).toMatchObject({ format: { kind: 'choice' }, answer: { text: 'B', strict: true }, referenceLetter: 'D' });
    expect(resolved.options.map((o) => `${o.letter} ${o.text}`)).toEqual([
      'A $790',
      'B $808.12',
      'C $784.16',
      'D $803.88',
      'E $815.22',
      'F $795.67',
      'G $812',
      'H $785.50',
      'I $820.30',
      'J $800',
    ]);
  });

  it('reads a numeric answer with the reference as a number, and no letter or options', () => {
    const resolved = resolveAnswer(
      context({ inputText: THEOREM_INPUT, correctAnswer: '(c)', outputText: 'Therefore, the answer is (c).' }),
    );
    expect(resolved).toMatchObject({ format: { kind: 'phrase' }, answer: { text: '(c)' }, options: [] });
    expect(resolved.referenceLetter).toBeUndefined();
    expect(resolved.referenceNumber).toBeUndefined();
    const lettered = resolveAnswer(context({ inputText: THEOREM_INPUT, correctAnswer: 'C', outputText: 'Therefore, the answer is C.' }));
    expect(lettered).toMatchObject({ format: { kind: 'phrase' }, answer: { text: 'C' }, options: [] });
    expect(lettered.referenceLetter).toBeUndefined();
    const numeric = resolveAnswer(
      context({ inputText: THEOREM_INPUT, correctAnswer: '0.375', outputText: 'Therefore, the answer is 3/8.' }),
    );
    expect(numeric.referenceNumber).toEqual({ value: 0.375, decimals: 3, raw: '0.375' });
  });

  it('reads each failure once: every detector sees the same resolved answer', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D', outputText: 'The answer is (B).' });
    expect(resolveAnswer(ctx)).toBe(resolveAnswer(ctx));
  });
});

describe('quotes and blank output', () => {
  it.each([
    ['', true],
    [' \n\t', true],
    ['The answer is (B).', false],
  ])('isBlank(%j) is %s', (output, blank) => {
    expect(isBlank(output)).toBe(blank);
  });

  it('quotes the end of the output verbatim, without trailing whitespace, marked when shortened', () => {
    expect(tailQuote('  The answer is (B).\n\n')).toBe('  The answer is (B).');
    expect(tailQuote('x'.repeat(200))).toBe('x'.repeat(200));
    expect(tailQuote(`Step 1. ${'y'.repeat(200)}`)).toBe(`…${'y'.repeat(200)}`);
    expect(tailQuote('The answer is (B).', 8)).toBe('… is (B).');
  });

  it('quotes the start of a text, trimmed, marked when shortened', () => {
    expect(headQuote('  Write a poem.\n')).toBe('Write a poem.');
    expect(headQuote('x'.repeat(200))).toBe('x'.repeat(200));
    expect(headQuote(`${'y'.repeat(200)} and more`)).toBe(`${'y'.repeat(200)}…`);
    expect(headQuote('Write a poem about rain.', 12)).toBe('Write a poem…');
  });
});
