import { describe, expect, it } from 'vitest';
import { MMLU_HEADER, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { cleanOutput, detectAnswerFormat, extractAnswer } from './answer-extraction.js';
import { parseOptions } from './choice-options.js';

describe('detectAnswerFormat', () => {
  it('reads a letter choice, with its options, from an MMLU-Pro prompt', () => {
    const format = detectAnswerFormat(MMLU_INPUT, 'D. $803.88');
    expect(format).toMatchObject({ kind: 'choice', required: true });
    expect(format.kind === 'choice' && format.options.find((o) => o.letter === 'D')?.text).toBe('$803.88');
  });

  it('reads a number when the prompt asks "the answer is ..." and the reference is numeric', () => {
    expect(detectAnswerFormat(THEOREM_INPUT, '-0.3').kind).toBe('number');
    expect(detectAnswerFormat(THEOREM_INPUT, 'True').kind).toBe('phrase');
    expect(detectAnswerFormat(THEOREM_INPUT, '3/8').kind).toBe('number');
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

  it('reads a power of π as the expression it is, not as the exponent over the denominator', () => {
    const zeta = extractAnswer('Therefore, the answer is $\\frac{\\pi^2}{6}$.', number);
    expect(zeta?.number).toBeUndefined();
    expect(zeta?.value).toMatchObject({ form: 'expression', expression: '\\frac{\\pi^2}{6}' });
    expect((zeta?.value as { value?: number } | undefined)?.value).toBeCloseTo(Math.PI ** 2 / 6, 12);
  });

  it('ignores a conditional "if the answer is True"', () => {
    const phrase = detectAnswerFormat(THEOREM_INPUT, 'True');
    expect(extractAnswer('Step 6: If the answer is True, then the function has a value of x', phrase)).toBeUndefined();
    expect(extractAnswer('True. \n\nThe fifth Maclaurin polynomial for sin(x) is x - x^3/3!', phrase)?.text).toBe('True');
  });
});

const choiceQuestion = (options: string[]) =>
  `${MMLU_HEADER}Question: Which city hosted the event?\nOptions: ${options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`).join('\n')}\nAnswer: Let's think step by step.`;
const n = (value: number, raw: string, decimals = 0) => ({ value, decimals, raw });
const asNumber = (value: number, raw: string, decimals = 0, extra: { unit?: string } = {}) => ({
  form: 'number',
  number: n(value, raw, decimals),
  percent: false,
  ...extra,
});
/** An answer that reads as one number, as extractAnswer returns it. */
const numeric = (text: string, quote: string, strict: boolean, [value, raw, decimals = 0]: [number, string, number?], unit?: string) => ({
  text,
  quote,
  strict,
  value: asNumber(value, raw, decimals, unit === undefined ? {} : { unit }),
  number: n(value, raw, decimals),
});

describe('detectAnswerFormat, in full', () => {
  const noOptions = 'Which element has the symbol Fe? Think step by step.';
  const options = parseOptions(MMLU_INPUT);

  it.each([
    ['choice', { kind: 'choice', options: [], requested: 'a letter choice', required: true }],
    ['boxed', { kind: 'boxed', requested: '\\boxed{...}', required: true }],
    ['number', { kind: 'number', requested: 'a final number', required: true }],
    ['regex', { kind: 'free', requested: 'free text', required: false }],
  ] as const)('the configured kind %s is used as given', (kind, expected) => {
    expect(detectAnswerFormat(noOptions, '26', { kind })).toStrictEqual(expected);
  });

  it('a configured pattern is matched case-insensitively and named in the requested form', () => {
    expect(detectAnswerFormat(noOptions, '26', { kind: 'regex', pattern: 'ANSWER: (\\d+)' })).toStrictEqual({
      kind: 'regex',
      pattern: /ANSWER: (\d+)/i,
      requested: 'text matching /ANSWER: (\\d+)/',
      required: true,
    });
  });

  it('auto detection: an instruction to give a letter makes the letter required', () => {
    expect(detectAnswerFormat(MMLU_INPUT, 'D')).toStrictEqual({
      kind: 'choice',
      options,
      requested: '"the answer is (X)"',
      required: true,
    });
    expect(detectAnswerFormat(`${MMLU_HEADER}Question: Is iron magnetic?`, 'A')).toStrictEqual({
      kind: 'choice',
      options: [],
      requested: '"the answer is (X)"',
      required: true,
    });
  });

  it('auto detection: three lettered options without an instruction make an optional choice', () => {
    const input = 'Which is a noble gas?\nA. Neon\nB. Iron\nC. Carbon';
    expect(detectAnswerFormat(input, 'A')).toStrictEqual({
      kind: 'choice',
      options: [
        { letter: 'A', text: 'Neon' },
        { letter: 'B', text: 'Iron' },
        { letter: 'C', text: 'Carbon' },
      ],
      requested: '"the answer is (X)"',
      required: false,
    });
  });

  it('auto detection: a prompt that shows \\boxed asks for a boxed answer', () => {
    expect(detectAnswerFormat('Solve x^2 = 4. Put the final answer in \\boxed{}.', '2')).toStrictEqual({
      kind: 'boxed',
      requested: '\\boxed{...}',
      required: true,
    });
  });

  it('auto detection: "the answer is ..." asks for a number or for a phrase, by the reference', () => {
    expect(detectAnswerFormat(THEOREM_INPUT, '-0.3')).toStrictEqual({
      kind: 'number',
      requested: '"the answer is <number>"',
      required: true,
    });
    expect(detectAnswerFormat(THEOREM_INPUT, '[2, 3]')).toStrictEqual({ kind: 'phrase', requested: '"the answer is ..."', required: true });
    expect(detectAnswerFormat(THEOREM_INPUT)).toStrictEqual({ kind: 'phrase', requested: '"the answer is ..."', required: true });
  });

  it('auto detection: a numeric reference alone reads an optional number; anything else is free text', () => {
    expect(detectAnswerFormat('How many horses are in this story?', '2')).toStrictEqual({
      kind: 'number',
      requested: 'a final number',
      required: false,
    });
    expect(detectAnswerFormat('Write a haiku about autumn.', 'Leaves fall.')).toStrictEqual({
      kind: 'free',
      requested: 'free text',
      required: false,
    });
  });
});

describe('cleanOutput', () => {
  it.each([
    ['<s> The answer is (B).</s>', ' The answer is (B).'],
    ['The answer is (B).<|eot_id|>', 'The answer is (B).'],
    ['The answer is (B).<|im_end|><|endoftext|>', 'The answer is (B).'],
    ['The answer is (B).<endoftext|>', 'The answer is (B).'],
    ['The answer is (B).<|endoftext>', 'The answer is (B).'],
    ['The answer is (B).<eos>', 'The answer is (B).'],
    ['The answer is (B).<end_of_turn>', 'The answer is (B).'],
    ['Use <b>bold</b> and a|b.', 'Use <b>bold</b> and a|b.'],
  ])('drops end-of-text tokens: %j', (output, cleaned) => {
    expect(cleanOutput(output)).toBe(cleaned);
  });
});

describe('extractAnswer: letter choices', () => {
  const choice = detectAnswerFormat(MMLU_INPUT, 'D. $803.88');
  const configured = detectAnswerFormat('Which element has the symbol Fe? Reply with a letter.', 'C', { kind: 'choice' });

  it('reads the first "the answer is (X)" as the strict answer, with its quote', () => {
    expect(extractAnswer(' The answer is (F).\n\nThe answer is (G).', choice)).toStrictEqual({
      text: 'F',
      quote: 'answer is (F)',
      strict: true,
    });
  });

  it('reads letters beyond the options listed only when no options are listed (A to J)', () => {
    const four = detectAnswerFormat(choiceQuestion(['Paris', 'Rome', 'Berlin', 'Madrid']), 'B');
    expect(extractAnswer('The answer is (E).', four)).toBeUndefined();
    expect(extractAnswer('The answer is (J).', configured)).toStrictEqual({ text: 'J', quote: 'answer is (J)', strict: true });
  });

  it.each([
    ['Final Answer: C. Diamond, quartz', { text: 'C', quote: 'Answer: C.', strict: false }],
    ['So the final answer: **(B)**, and the answer: (H).', { text: 'H', quote: 'answer: (H)', strict: false }],
    ['$\\boxed{ (E) }$', { text: 'E', quote: '\\boxed{ (E)', strict: false }],
    ['Thus, the best answer would be: (G)', { text: 'G', quote: 'best answer would be: (G)', strict: false }],
    ['Based on these principles, the closest answer is:\n\nJ. $800', { text: 'J', quote: 'answer is:\n\nJ.', strict: false }],
    ['Answer (after discounting at 6%):\n\n(D) $803.88', { text: 'D', quote: 'Answer (after discounting at 6%):\n\n(D)', strict: false }],
  ])('reads a fallback form, the last one of its kind: %j', (output, expected) => {
    expect(extractAnswer(output, choice)).toStrictEqual(expected);
  });

  it.each([
    ['Solution: Choice_C', 'C', 'Solution: Choice_C'],
    ['Option C is the discounted amount.', 'C', 'Option C is the discounted amount.'],
    ['After discounting the note:\n**(C)**', 'C', '(C)'],
    ['After discounting the note:\n** C **', 'C', 'C'],
    ['After discounting the note:\n(C)\n\n', 'C', '(C)'],
    ['After discounting the note:\n(C)\n   \n', 'C', '(C)'],
    ['Choice: D', 'D', 'Choice: D'],
    ['C. $784.16', 'C', 'C. $784.16'],
    ['C. 784.16', 'C', 'C. 784.16'],
    [
      'C. $784.16, which is what Douglas, Inc. actually received for the note',
      'C',
      'C. $784.16, which is what Douglas, Inc. actually received for the note',
    ],
    ['Douglas receives $803.88', 'D', 'Douglas receives $803.88'],
  ])('reads a last line that is itself the answer: %j', (output, text, quote) => {
    expect(extractAnswer(output, choice)).toStrictEqual({ text, quote, strict: false });
  });

  it.each([
    ['Option C is not correct.'],
    ['We can eliminate option C.'],
    ['C. $785'],
    ['C. $790'],
    ['The note is worth $803.88 and the bank keeps $12.00 of interest over ninety days, so the proceeds differ.'],
  ])('does not read a last line that rejects an option or names a different amount: %j', (output) => {
    expect(extractAnswer(output, choice)).toStrictEqual(output === 'C. $790' ? { text: 'A', quote: 'C. $790', strict: false } : undefined);
  });

  it('reads an option text abbreviated after its letter, and one written without its periods', () => {
    const cities = detectAnswerFormat(choiceQuestion(['Paris', 'Rome', 'St. Louis, Missouri', 'Madrid']), 'C');
    expect(extractAnswer('C. St Louis', cities)).toStrictEqual({ text: 'C', quote: 'C. St Louis', strict: false });
    expect(extractAnswer('C. St. Louis', cities)).toStrictEqual({ text: 'C', quote: 'C. St. Louis', strict: false });
    expect(extractAnswer('C. Berlin', cities)).toBeUndefined();
  });

  it('without listed options a letter with text after it is not checked against anything, so it is not read', () => {
    expect(extractAnswer('After some thought:\nC. Iron', configured)).toBeUndefined();
    expect(extractAnswer('After some thought:\nC.', configured)).toStrictEqual({ text: 'C', quote: 'C.', strict: false });
  });

  describe('the option text alone on the last line', () => {
    const colours = detectAnswerFormat(choiceQuestion(['Red', 'Red and blue', 'Blue', 'Green']), 'B');
    const short = detectAnswerFormat(choiceQuestion(['2', '4', '8', '256']), 'C');

    it.each([
      ['The flag is red and blue.', 'B'],
      ['Red', 'A'],
      ['Green', 'D'],
      [`Green${'.'.repeat(40)}`, 'D'],
    ])('names the option whose text it holds: %j', (output, letter) => {
      expect(extractAnswer(output, colours)).toStrictEqual({ text: letter, quote: output, strict: false });
    });

    it.each([['Red or green'], [`Green${'.'.repeat(41)}`]])('is not read when it holds two options or says much more: %j', (output) => {
      expect(extractAnswer(output, colours)).toBeUndefined();
    });

    it('is not looked for when the option text is shorter than three characters', () => {
      expect(extractAnswer('The result is 8', short)).toBeUndefined();
      expect(extractAnswer('The result is 256', short)).toStrictEqual({ text: 'D', quote: 'The result is 256', strict: false });
    });
  });

  describe('a concluding sentence that names one option', () => {
    it.each([
      ["Therefore, Kant's argument that (F) we cannot know things in themselves holds.", 'F'],
      ['  Therefore, the proceeds in (D) are what Douglas receives.', 'D'],
      ['Thus (D) follows, as (D) uses the discount rate.', 'D'],
      ['The amount in (C) uses the wrong rate. Douglas keeps no interest. Therefore, he receives (D).', 'D'],
      ['The amount in (C) uses the wrong rate.  Therefore, he receives (D).', 'D'],
    ])('is read as the answer: %j', (output, letter) => {
      const sentence = output
        .trim()
        .split(/(?<=[.!?])\s+(?=[A-Z])/)
        .at(-1);
      expect(extractAnswer(output, choice)).toStrictEqual({ text: letter, quote: sentence, strict: false });
    });

    it.each([
      ['The argument, so to speak, rests on (F).'],
      ['Therefore, (C) and (D) are both close.'],
      ['Therefore, he receives (D). The other figures are wrong.'],
      ['Therefore (D)\nDouglas receives it, Douglas (D) Receives'],
    ])('is not read when it does not conclude or names more than one option: %j', (output) => {
      expect(extractAnswer(output, choice)).toBeUndefined();
    });
  });
});

describe('extractAnswer: boxed answers', () => {
  const boxed = detectAnswerFormat('Solve it and put the answer in \\boxed{}.', '0.375');

  it.each([
    ['\\boxed{\\frac{3}{8}}', numeric('\\frac{3}{8}', '\\boxed{\\frac{3}{8}}', true, [0.375, '\\frac{3}{8}'])],
    ['First \\boxed{2}, then corrected: $\\boxed{ 42 }$.', numeric('42', '\\boxed{ 42 }', true, [42, '42'])],
    ['P = \\frac{1}{2}, so \\boxed{\\frac{1}{2}}', numeric('\\frac{1}{2}', '\\boxed{\\frac{1}{2}}', true, [0.5, '\\frac{1}{2}'])],
    [
      '\\boxed{x^{2}+1}',
      { text: 'x^{2}+1', quote: '\\boxed{x^{2}+1}', strict: true, value: { form: 'expression', expression: 'x^{2}+1', value: undefined } },
    ],
  ])('reads the last box, with its braces balanced: %j', (output, expected) => {
    expect(extractAnswer(output, boxed)).toStrictEqual(expected);
  });

  it('falls back to "the answer is" when the box is missing or never closed', () => {
    const expected = numeric('7', 'answer is 7.', false, [7, '7']);
    expect(extractAnswer('So the answer is 7.', boxed)).toStrictEqual(expected);
    expect(extractAnswer('So the answer is 7. \\boxed{7', boxed)).toStrictEqual({ ...expected, quote: 'answer is 7. \\boxed{7' });
    expect(extractAnswer('x = 7', boxed)).toBeUndefined();
  });
});

describe('extractAnswer: "the answer is ..."', () => {
  const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');
  const phrase = detectAnswerFormat(THEOREM_INPUT, 'True');

  it.each([
    ['Therefore, the answer is 5.', numeric('5', 'answer is 5.', true, [5, '5'])],
    ['Therefore, the answer is: $0.75$', numeric('0.75', 'answer is: $0.75$', true, [0.75, '0.75', 2])],
    ['The answer is 3. Wait, the answer is 5.', numeric('5', 'answer is 5.', true, [5, '5'])],
    ['Therefore, the answer is 0.375.\n\nThe answer is', numeric('0.375', 'answer is 0.375.', true, [0.375, '0.375', 3])],
    ['Therefore, the answer is 12.   \nDone', numeric('12', 'answer is 12.', true, [12, '12'])],
    ['Therefore, the answer is:\n\n$42$ \n', numeric('42', 'answer is:\n\n$42$', true, [42, '42'])],
    ['Therefore, the answer is $5$ .', numeric('5', 'answer is $5$ .', true, [5, '5'])],
    ['The answer is 5.\n\nI hope this helps!', numeric('5', 'answer is 5.', true, [5, '5'])],
    ['If the answer is 4, the area doubles; the answer is 8.', numeric('8', 'answer is 8.', true, [8, '8'])],
  ])('reads the last "answer is" with a value, up to its sentence stop: %j', (output, expected) => {
    expect(extractAnswer(output, number)).toStrictEqual(expected);
  });

  it.each([
    ['Therefore, the answer is True.The function is odd.', 'True', 'answer is True.The function is odd.'],
    ['Therefore, the answer is 10 a.m.', '10 a.m', 'answer is 10 a.m.'],
    ['Therefore, the answer is 1.5.', '1.5', 'answer is 1.5.'],
  ])('ends the phrase at a sentence stop, not at a decimal point or an abbreviation: %j', (output, text, quote) => {
    expect(extractAnswer(output, phrase)).toMatchObject({ text, quote, strict: true });
  });

  it.each([
    ['If the answer is True, then f(x) = x'],
    ['If answer is True, then f(x) = x'],
    ['If the  answer is True, then f(x) = x'],
    ['Step 6: If  the answer is True, then f(x) = x'],
  ])('does not read a condition "if the answer is": %j', (output) => {
    expect(extractAnswer(output, phrase)).toBeUndefined();
  });

  it('reads "the answer is" after an "if" that is not right before it', () => {
    expect(extractAnswer('If so, the answer is True', phrase)).toStrictEqual({
      text: 'True',
      quote: 'answer is True',
      strict: true,
      value: { form: 'text' },
    });
  });

  it('reads a formula after "the answer is:" as the answer given, not the number in it', () => {
    const closed = extractAnswer('Therefore, the answer is:\n   1/2 * ln(1+sqrt(3)) * 2 = ln(1+sqrt(3))', number);
    expect(closed).toMatchObject({
      text: '1/2 * ln(1+sqrt(3)) * 2 = ln(1+sqrt(3))',
      quote: 'answer is:\n   1/2 * ln(1+sqrt(3)) * 2 = ln(1+sqrt(3))',
    });
  });
});

describe('extractAnswer: a number without "the answer is"', () => {
  const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');

  it.each([
    ['So $\\boxed{5}$\n\nThis is the final result.', numeric('5', '\\boxed{5}', false, [5, '5'])],
    ['\\boxed{5} hours', numeric('5', '\\boxed{5}', false, [5, '5'])],
    [
      'Therefore, the index of refraction is 1.23.\n\n',
      numeric('1.23', 'Therefore, the index of refraction is 1.23.', false, [1.23, '1.23', 2]),
    ],
    [
      'Therefore, the index of refraction is 1.23.  ',
      numeric('1.23', 'Therefore, the index of refraction is 1.23.', false, [1.23, '1.23', 2]),
    ],
    ['The speed is 3.5 m/s. This is the final result.', numeric('3.5 m/s', 'The speed is 3.5 m/s.', false, [3.5, '3.5', 1], 'm/s')],
    ['The speed is 3.5 m/s.  This is the final result.', numeric('3.5 m/s', 'The speed is 3.5 m/s.', false, [3.5, '3.5', 1], 'm/s')],
    ['The speed is 3.5 m/s. The distance is 7 m.', numeric('7 m', 'The distance is 7 m.', false, [7, '7'], 'm')],
    [
      'The speed of the car is constant, so the distance is 120 km.',
      numeric('120 km', 'The speed of the car is constant, so the distance is 120 km.', false, [120, '120'], 'km'),
    ],
    [
      'The index of refraction is approximately 1.23.',
      numeric('1.23', 'The index of refraction is approximately 1.23.', false, [1.23, '1.23', 2]),
    ],
    ['Therefore, v = 3.5 m/s.', numeric('3.5 m/s', 'Therefore, v = 3.5 m/s.', false, [3.5, '3.5', 1], 'm/s')],
    ['= 2,400 J.', numeric('2,400 J', '= 2,400 J.', false, [2400, '2,400'], 'J')],
    [
      'Therefore, the period T \\approx 2.01 s.',
      numeric('2.01 s', 'Therefore, the period T \\approx 2.01 s.', false, [2.01, '2.01', 2], 's'),
    ],
    [
      'Therefore, the period T = 2.01 s approx.',
      numeric('2.01 s approx', 'Therefore, the period T = 2.01 s approx.', false, [2.01, '2.01', 2], 's approx'),
    ],
    ['Selling 40 units gives a profit of 200.', numeric('200', 'Selling 40 units gives a profit of 200.', false, [200, '200'])],
    ['A profit of 200 dollars.', numeric('200', 'A profit of 200 dollars.', false, [200, '200'])],
    ['The price rises by 0.75.', numeric('0.75', 'The price rises by 0.75.', false, [0.75, '0.75', 2])],
    ['Step 7: 4,800 hours.', numeric('4,800', 'Step 7: 4,800 hours.', false, [4800, '4,800'])],
    ['We return to Step 2.', numeric('2', 'We return to Step 2.', false, [2, '2'])],
    ['[3, 0, 2]', { text: '[3, 0, 2]', quote: '[3, 0, 2]', strict: false, value: { form: 'text' } }],
    ['[-2, 0, 3].', { text: '[-2, 0, 3].', quote: '[-2, 0, 3].', strict: false, value: { form: 'text' } }],
    ['[(1, 2), (3, 4)]', { text: '[(1, 2), (3, 4)]', quote: '[(1, 2), (3, 4)]', strict: false, value: { form: 'text' } }],
    ['[3]', { text: '[3]', quote: '[3]', strict: false, value: { form: 'text' } }],
    [
      'The limit does not exist.',
      {
        text: 'The limit does not exist',
        quote: 'The limit does not exist.',
        strict: false,
        value: { form: 'nonexistent', phrase: 'The limit does not exist' },
      },
    ],
  ])('reads the value the last sentence ends on: %j', (output, expected) => {
    expect(extractAnswer(output, number)).toStrictEqual(expected);
  });

  it.each([
    ['Therefore, the answer is unclear.'],
    ['Therefore, the answer is unclear'],
    ['The speed is 3.5 m/s. Then the total is 12'],
    ['Step 12: Add the two results.'],
    ['Step 4 Add the two results.'],
    ['Step 5.'],
  ])('reads no number from a sentence without one, a cut-off line or a step label: %j', (output) => {
    expect(extractAnswer(output, number)).toBeUndefined();
  });
});

describe('extractAnswer: phrases and verdicts', () => {
  const phrase = detectAnswerFormat(THEOREM_INPUT, 'True');

  it.each([
    ['True. \n\nThe fifth Maclaurin polynomial for sin(x) is x - x^3/3!', { text: 'True', quote: 'True.', strict: false }],
    [' False, because the series diverges for x > 1, which f(1) = 2 shows', { text: 'False', quote: 'False,', strict: false }],
    ['True\n\nThe polynomial is odd, so the claim holds', { text: 'True', quote: 'True', strict: false }],
  ])('reads a verdict the output opens with: %j', (output, expected) => {
    expect(extractAnswer(output, phrase)).toStrictEqual(expected);
  });

  it.each([
    [
      'The sequence converges, so the statement is true.',
      { text: 'true', quote: 'The sequence converges, so the statement is true.', strict: false },
    ],
    ['Hence the correct option is (c).', { text: '(c)', quote: 'Hence the correct option is (c).', strict: false }],
    ['Hence we pick (b), then check (c).', { text: '(b)', quote: 'Hence we pick (b), then check (c).', strict: false }],
  ])('reads a truth value or an option from the last sentence: %j', (output, expected) => {
    expect(extractAnswer(output, phrase)).toStrictEqual(expected);
  });

  it('reads a boxed answer when there is no "answer is"', () => {
    expect(extractAnswer('Hence $\\boxed{\\text{True}}$', phrase)).toStrictEqual({
      text: '\\text{True}',
      quote: '\\boxed{\\text{True}}',
      strict: false,
      value: { form: 'text' },
    });
  });

  it('a phrase format reads words a number format ignores', () => {
    const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');
    expect(extractAnswer('Therefore, the answer is unclear', phrase)).toStrictEqual({
      text: 'unclear',
      quote: 'answer is unclear',
      strict: true,
      value: { form: 'text' },
    });
    expect(extractAnswer('Therefore, the answer is unclear', number)).toBeUndefined();
  });
});

describe('extractAnswer: configured pattern and free text', () => {
  const regex = (pattern: string) => detectAnswerFormat('Solve it.', '7', { kind: 'regex', pattern });

  it('reads the last match, its first group trimmed, strictly', () => {
    expect(extractAnswer('ANSWER: 41\nrechecking...\nanswer:  42 ', regex('ANSWER:(\\s*\\d+\\s*)'))).toStrictEqual(
      numeric('42', 'answer:  42 ', true, [42, '42']),
    );
  });

  it('reads the whole match when the pattern has no group, and nothing when it does not match', () => {
    expect(extractAnswer('The total is #### 18', regex('#### \\d+'))).toStrictEqual(numeric('#### 18', '#### 18', true, [18, '18']));
    expect(extractAnswer('The total is 18', regex('#### \\d+'))).toBeUndefined();
  });

  it('reads no answer from free text', () => {
    expect(extractAnswer('The answer is 42.', detectAnswerFormat('Write a haiku.', 'Leaves fall.'))).toBeUndefined();
  });
});

describe('extractAnswer: spacing models leave in a concluding sentence', () => {
  const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');

  it('reads the value after "is  approximately" with a double space', () => {
    expect(extractAnswer('The index of refraction is  approximately 1.23.', number)).toStrictEqual(
      numeric('1.23', 'The index of refraction is  approximately 1.23.', false, [1.23, '1.23', 2]),
    );
  });
});

describe('extractAnswer: punctuation after the last number', () => {
  it('reads the number before a doubled exclamation mark, not a factorial', () => {
    const number = detectAnswerFormat(THEOREM_INPUT, '-0.3');
    expect(extractAnswer('So Tom ends up with 42!!', number)).toStrictEqual(numeric('42', 'So Tom ends up with 42!!', false, [42, '42']));
  });
});

describe('extractAnswer: edges of the fallbacks', () => {
  it('does not take an amount that differs from the option only by its decimal point', () => {
    const millions = detectAnswerFormat(choiceQuestion(['$2 million', '$3 million', '$1.5 million', '$4 million']), 'C');
    expect(extractAnswer('C. $15 million', millions)).toBeUndefined();
    expect(extractAnswer('C. $1.5 million', millions)).toStrictEqual({ text: 'C', quote: 'C. $1.5 million', strict: false });
  });

  it('names no option in an empty output, even one whose text is a common word', () => {
    const words = detectAnswerFormat(choiceQuestion(['was', 'tree', 'blue']), 'A');
    expect(extractAnswer('\n\n', words)).toBeUndefined();
  });

  it('reads braces outside any box as no box: a boxed prompt answered in words falls back to the phrase', () => {
    const boxed = detectAnswerFormat('Solve it and put the answer in \\boxed{}.', '3.5');
    expect(extractAnswer('Dividing, the answer is \\frac{7}{2}.', boxed)).toStrictEqual(
      numeric('\\frac{7}{2}', 'answer is \\frac{7}{2}.', false, [3.5, '\\frac{7}{2}']),
    );
  });

  it('reads a fraction the last sentence ends on', () => {
    const number = detectAnswerFormat(THEOREM_INPUT, '0.75');
    expect(extractAnswer('Each child gets 3/4.', number)).toStrictEqual(numeric('3/4', 'Each child gets 3/4.', false, [0.75, '3/4']));
  });
});
