import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, prediction, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import type { Prediction } from '../ingest/prediction.js';
import { hardExample, matchesReference } from './benchmark-noise.js';

const theorem = (outputText: string, correctAnswer: string | undefined) => context({ inputText: THEOREM_INPUT, outputText, correctAnswer });

describe('matches_reference: an answer equal to the reference but scored wrong', () => {
  it('quotes the answer, the reference, the score and the threshold', () => {
    expect(matchesReference.detect(theorem('The glider keeps its speed. Therefore, the answer is 42.', '42\n'))).toEqual({
      detector: 'matches_reference',
      family: 'Possible benchmark noise',
      title: 'Answer matches the reference but was scored wrong',
      mechanical: false,
      summary: 'The final answer "42" equals the reference "42", but the score is 0 (threshold 1).',
      evidence: 'Output: "answer is 42."; reference: "42"; score 0.',
      confidence: 0.8,
      verified: false,
      precision: expect.stringMatching(/^unverified: held-out precision /),
    });
  });

  it.each<[string, string, string, string]>([
    ['a number equal up to one part in a million', 'Therefore, the answer is 1000001.', '1000000', '1000001'],
    ['True against True', 'The series converges. Therefore, the answer is True.', 'True', 'True'],
    [
      'True with its reason against True',
      'The series converges absolutely. Therefore, the answer is True, since the terms shrink geometrically.',
      'True',
      'True, since the terms shrink geometrically',
    ],
    ['an option label', 'Therefore, the answer is (c).', '(c)', '(c)'],
    ['an option label followed by its text', 'Therefore, the answer is (c) 67 workers.', '(c)', '(c) 67 workers'],
    ['an option letter without brackets', 'Therefore, the answer is c.', '(c)', 'c'],
    ['a formula written without spaces', 'Therefore, the answer is x^2+1.', 'x^2 + 1', 'x^2+1'],
    ['a reference with a closing full stop', 'Therefore, the answer is 2.5x.', '2.5x.', '2.5x'],
    [
      'False with its reason against False',
      'Therefore, the answer is False, because the integral diverges.',
      'False',
      'False, because the integral diverges',
    ],
  ])('flags %s', (_case, output, reference, said) => {
    expect(matchesReference.detect(theorem(output, reference))?.summary).toBe(
      `The final answer "${said}" equals the reference "${reference.trim()}", but the score is 0 (threshold 1).`,
    );
  });

  it('flags a multiple-choice answer given in the requested format', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      correctAnswer: 'D',
      outputText: 'Discounting gives the proceeds of $803.88. The answer is (D).',
    });
    expect(matchesReference.detect(ctx)?.evidence).toBe('Output: "answer is (D)"; reference: "D"; score 0.');
  });

  it.each<[string, Parameters<typeof context>[0]]>([
    [
      'a multiple-choice letter read only leniently (a format problem, not a scoring one)',
      {
        inputText: MMLU_INPUT,
        correctAnswer: 'D',
        outputText: 'Discounting gives the proceeds of $803.88.\nTherefore, D. $803.88 is what Douglas received.',
      },
    ],
    [
      'an open-ended answer, however close to the reference',
      { inputText: 'What is the capital of France?', correctAnswer: 'Paris', outputText: 'Paris' },
    ],
    [
      'a number two parts in a million off',
      { inputText: THEOREM_INPUT, correctAnswer: '1000000', outputText: 'Therefore, the answer is 1000002.' },
    ],
    ['"not True" against True', { inputText: THEOREM_INPUT, correctAnswer: 'True', outputText: 'Therefore, the answer is not True.' }],
    ['False against True', { inputText: THEOREM_INPUT, correctAnswer: 'True', outputText: 'Therefore, the answer is False.' }],
    ['another option label', { inputText: THEOREM_INPUT, correctAnswer: '(c)', outputText: 'Therefore, the answer is (d).' }],
    [
      'a formula that starts with the reference',
      { inputText: THEOREM_INPUT, correctAnswer: 'g(x)', outputText: 'Therefore, the answer is g(x) + 1.' },
    ],
    [
      'a wrong letter in the requested format',
      { inputText: MMLU_INPUT, correctAnswer: 'D', outputText: 'Discounting gives $808.12. The answer is (B).' },
    ],
    [
      'a bare letter against a reference that gives the option with its text',
      { inputText: THEOREM_INPUT, correctAnswer: '(c) 67 workers', outputText: 'Therefore, the answer is c.' },
    ],
    ['a different formula', { inputText: THEOREM_INPUT, correctAnswer: 'x^2 + 1', outputText: 'Therefore, the answer is x^2+2.' }],
    [
      'a formula that differs in a decimal point',
      { inputText: THEOREM_INPUT, correctAnswer: '2.5x', outputText: 'Therefore, the answer is 25x.' },
    ],
    ['an example without a reference', { inputText: THEOREM_INPUT, correctAnswer: undefined, outputText: 'Therefore, the answer is 42.' }],
  ])('does not flag %s', (_case, failure) => {
    expect(matchesReference.detect(context(failure))).toBeNull();
  });
});

describe('hard_example: an example most models fail', () => {
  const others = (scores: Record<string, number | undefined>, where: Partial<Prediction> = {}) =>
    Object.entries(scores).map(([model, score]) => prediction({ model, score, outputText: 'The answer is (B).', ...where }));
  const detect = (sameExample: Prediction[]) =>
    hardExample.detect(context({ inputText: MMLU_INPUT, correctAnswer: 'D', outputText: 'The answer is (B).' }, { sameExample }));

  it('names the share failing and who passed, with every score', () => {
    expect(detect(others({ 'model-b': 0, 'model-c': 0, 'model-d': 0, 'model-e': 1 }))).toMatchObject({
      detector: 'hard_example',
      summary: '4 of 5 models fail this example; the reference may be wrong or the question ambiguous.',
      evidence: 'Scores: model-b 0, model-c 0, model-d 0, model-e 1, model-a 0 (threshold 1); passed: model-e.',
      confidence: 0.4,
    });
  });

  it('counts a score exactly at the threshold as passed', () => {
    const ten = others({ m2: 0, m3: 0, m4: 0, m5: 0, m6: 0, m7: 0, m8: 0, m9: 1, m10: 1 });
    expect(detect(ten)).toMatchObject({
      summary: '8 of 10 models fail this example; the reference may be wrong or the question ambiguous.',
      evidence: 'Scores: m2 0, m3 0, m4 0, m5 0, m6 0, m7 0, m8 0, m9 1, m10 1, model-a 0 (threshold 1); passed: m9, m10.',
    });
    expect(detect(others({ 'model-b': 0, 'model-c': 0, 'model-d': 0, 'model-e': 1 }))?.evidence).toMatch(/; passed: model-e\.$/);
  });

  it('says when no model gets it right, even with two models', () => {
    expect(detect(others({ 'model-b': 0 }))).toMatchObject({
      summary: 'None of the 2 models gets this example right; the reference may be wrong or the question ambiguous.',
      evidence: 'Scores: model-b 0, model-a 0 (threshold 1).',
      confidence: 0.45,
    });
  });

  it('needs another model: one failing model alone is not a hard example', () => {
    expect(detect([])).toBeNull();
  });

  it('does not count models without a score on the example', () => {
    expect(detect(others({ 'model-b': 0, 'model-c': 0, 'model-d': undefined }))?.summary).toBe(
      'None of the 3 models gets this example right; the reference may be wrong or the question ambiguous.',
    );
  });

  it.each<[string, Partial<Prediction>]>([
    ['another example', { exampleId: 'ex2' }],
    ['another dataset', { dataset: 'mmlu_pro' }],
  ])('ignores predictions on %s', (_case, where) => {
    expect(detect(others({ 'model-b': 0, 'model-c': 0 }, where))).toBeNull();
  });

  it('does not flag an example that one model in four passes', () => {
    expect(detect(others({ 'model-b': 0, 'model-c': 0, 'model-d': 1 }))).toBeNull();
  });
});
