import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { answerFormatMismatch } from './answer-format.js';
import { detectFailure } from './run-detectors.js';

const formatFinding = (ctx: ReturnType<typeof context>) => detectFailure(ctx).find((f) => f.detector === 'answer_format_mismatch') ?? null;

describe('answer_format_mismatch', () => {
  it('names the right letter given outside "the answer is (X)", and says only the format failed', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      correctAnswer: 'D. $803.88',
      outputText: 'Discounting gives the proceeds. Final Answer: D. $803.88',
    });
    expect(formatFinding(ctx)).toMatchObject({
      detector: 'answer_format_mismatch',
      family: 'Answer format',
      title: 'Final answer not in the requested format',
      mechanical: true,
      summary: 'Gives "D" as "Answer: D." instead of "the answer is (X)"; that answer is the correct one, so only the format failed.',
      evidence: '"Answer: D."',
      confidence: 0.85,
    });
  });

  it('names a wrong letter given outside the format without claiming it is correct', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      correctAnswer: 'D. $803.88',
      outputText: 'Discounting gives the proceeds. Final Answer: F. $795.67',
    });
    expect(formatFinding(ctx)).toMatchObject({
      summary: 'Gives "F" as "Answer: F." instead of "the answer is (X)".',
      evidence: '"Answer: F."',
      confidence: 0.75,
    });
  });

  it('does not call a letter correct when the reference names no letter', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: '$803.88', outputText: 'Final Answer: D. $803.88' });
    expect(formatFinding(ctx)).toMatchObject({ summary: 'Gives "D" as "Answer: D." instead of "the answer is (X)".', confidence: 0.75 });
  });

  it('flags a boxed prompt answered with "the answer is" instead of a box', () => {
    const ctx = context({
      inputText: 'Find x if 2x = 14. Put your final answer in \\boxed{}.',
      correctAnswer: '7',
      outputText: 'Dividing both sides by 2, the answer is 7.',
    });
    expect(formatFinding(ctx)).toMatchObject({
      summary: 'Gives "7" as "answer is 7." instead of \\boxed{...}.',
      evidence: '"answer is 7."',
      confidence: 0.75,
    });
  });

  it.each([
    ['the requested form', MMLU_INPUT, 'D. $803.88', 'So the proceeds are $803.88. The answer is (D).'],
    ['no answer at all', MMLU_INPUT, 'D. $803.88', 'The note was discounted at 6% for'],
    ['a number prompt answered in another sentence', THEOREM_INPUT, '1.23', 'Therefore, the index of refraction is 1.23.'],
    ['a box given where a box was asked', 'Put your final answer in \\boxed{}.', '7', 'x = \\boxed{7}'],
  ])('stays silent for %s', (_case, inputText, correctAnswer, outputText) => {
    const ctx = context({ inputText, correctAnswer, outputText });
    expect(formatFinding(ctx)).toBeNull();
    expect(answerFormatMismatch.detect(ctx)).toBeNull();
  });

  it('stays silent when a configured pattern is matched', () => {
    const ctx = context(
      { inputText: 'Solve it.', correctAnswer: '18', outputText: 'So #### 18' },
      { answerFormat: { kind: 'regex', pattern: '#### (\\d+)' } },
    );
    expect(answerFormatMismatch.detect(ctx)).toBeNull();
  });
});
