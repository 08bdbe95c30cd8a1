import { describe, expect, it } from 'vitest';
import { MMLU_HEADER, MMLU_INPUT } from '../../test/support/detector-fixtures.js';
import { optionText, parseOptions, referenceLetter } from './choice-options.js';

const letters = (input: string) => parseOptions(input).map((o) => `${o.letter}=${o.text}`);

describe('parseOptions', () => {
  it('reads MMLU-Pro options, the first after "Options: "', () => {
    expect(parseOptions(MMLU_INPUT).slice(0, 3)).toStrictEqual([
      { letter: 'A', text: '$790' },
      { letter: 'B', text: '$808.12' },
      { letter: 'C', text: '$784.16' },
    ]);
    expect(letters(MMLU_INPUT)).toHaveLength(10);
  });

  it.each([
    ['(A) Neon\n(B) Iron\n(C) Carbon', ['A=Neon', 'B=Iron', 'C=Carbon']],
    ['A) Neon\nB) Iron\nC) Carbon', ['A=Neon', 'B=Iron', 'C=Carbon']],
    ['  A. Neon  \n\tB. Iron\n   C. Carbon', ['A=Neon', 'B=Iron', 'C=Carbon']],
  ])('reads options written as "(A)", "A)" and indented: %j', (input, expected) => {
    expect(letters(input)).toStrictEqual(expected);
  });

  it.each([
    ['A. Neon\nB. Iron', []],
    ['A. Neon\nB. Iron\nD. Carbon', []],
    ['B. Iron\nC. Carbon\nD. Neon', []],
    ['A. Neon\nB. Iron\nC.Carbon', []],
  ])('reads nothing without three consecutive letters from A: %j', (input, expected) => {
    expect(letters(input)).toStrictEqual(expected);
  });

  it('starts again at a second "A" that follows fewer than three options', () => {
    const input = `${MMLU_HEADER}Consider the claims:\nA. All metals conduct.\nB. Some gases are inert.\nWhich follows?\nOptions: A. Neon\nB. Iron\nC. Carbon`;
    expect(letters(input)).toStrictEqual(['A=Neon', 'B=Iron', 'C=Carbon']);
  });

  it.each([
    ['A. Neon\nB. Iron\nC. Carbon\nA. Argon\nB. Gold\nC. Tin\nD. Lead', ['A=Neon', 'B=Iron', 'C=Carbon', 'D=Lead']],
    ['A. Neon\nB. Iron\nC. Carbon\nD. Argon\nA. Gold', ['A=Neon', 'B=Iron', 'C=Carbon', 'D=Argon']],
  ])('keeps a list of three or more when a later line starts with "A.": %j', (input, expected) => {
    expect(letters(input)).toStrictEqual(expected);
  });
});

describe('referenceLetter', () => {
  it.each([
    ['D. $803.88', 'D'],
    ['(C)', 'C'],
    ['C', 'C'],
    ['C ', 'C'],
    ['  (C) $784.16', 'C'],
    ['B) Iron', 'B'],
    ['J: $800', 'J'],
  ])('reads the letter of the reference %j', (reference, letter) => {
    expect(referenceLetter(reference)).toBe(letter);
  });

  it.each([[undefined], [''], ['Paris'], ['Vitamin D'], ['$803.88'], ['c']])(
    'reads no letter from a reference that is not one: %j',
    (reference) => {
      expect(referenceLetter(reference)).toBeUndefined();
    },
  );
});

describe('optionText', () => {
  const options = parseOptions(MMLU_INPUT);

  it('gives the text of the lettered option, and nothing for a letter not listed', () => {
    expect(optionText(options, 'D')).toBe('$803.88');
    expect(optionText(options, 'K')).toBeUndefined();
  });
});
