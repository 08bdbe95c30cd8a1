import { describe, expect, it } from 'vitest';
import { context, MMLU_HEADER, MMLU_INPUT } from '../../test/support/detector-fixtures.js';
import { wrongChoice } from './wrong-choice.js';

const OUTPUT = 'The note earns 6% for 90 days and is discounted at 6% on May 1. The answer is (B).';

describe('wrong_choice', () => {
  it('quotes the chosen and the correct option with their texts', () => {
    expect(wrongChoice.detect(context({ inputText: MMLU_INPUT, correctAnswer: 'D', outputText: OUTPUT }))).toMatchObject({
      detector: 'wrong_choice',
      family: 'Wrong choice',
      title: 'Picked a wrong option',
      summary: 'Chose (B) $808.12 instead of (D) $803.88.',
      evidence: 'Output: "answer is (B)". Chosen: (B) $808.12. Correct: (D) $803.88.',
      confidence: 0.5,
    });
  });

  it('quotes the letters alone when the prompt does not list the options', () => {
    const input = `${MMLU_HEADER}Question: Douglas, Inc. received a 6% note with a 90 day term for $800. How much did Douglas, Inc. receive?`;
    expect(wrongChoice.detect(context({ inputText: input, correctAnswer: 'D', outputText: OUTPUT }))).toMatchObject({
      summary: 'Chose (B) instead of (D).',
      evidence: 'Output: "answer is (B)". Chosen: (B). Correct: (D).',
    });
  });

  it.each([
    ['the correct option', { inputText: MMLU_INPUT, correctAnswer: 'B', outputText: OUTPUT }],
    ['no option named', { inputText: MMLU_INPUT, correctAnswer: 'D', outputText: 'The note earns 6% for 90 days.' }],
    ['no reference letter', { inputText: MMLU_INPUT, correctAnswer: undefined, outputText: OUTPUT }],
    ['an open question', { inputText: 'What did Douglas, Inc. receive?', correctAnswer: 'D', outputText: OUTPUT }],
  ])('stays silent on %s', (_case, failure) => {
    expect(wrongChoice.detect(context(failure))).toBeNull();
  });
});
