// "Much shorter than the references": which lengths count, each threshold on both sides, and the wording.
import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, prediction } from '../../test/support/detector-fixtures.js';
import { muchShorterThanReferences } from './incomplete-answer.js';

const TASK = 'How do I detail a car?';
// 65 characters, 15 words: an AlpacaEval-style answer that skips almost everything.
const SHORT = 'Wash it with soap, rinse it, dry it with a towel and then wax it.';
/** Detailing advice of exactly `n` characters. */
const advice = (n: number) =>
  `${'Rinse the car first, then work from the roof down with a soft mitt. '.repeat(Math.ceil(n / 60)).slice(0, n - 1)}.`;
const correctOutputs = (...lengths: number[]) =>
  lengths.map((n, i) => prediction({ model: `model-${i + 2}`, score: 1, outputText: advice(n) }));
const check = (outputText: string, lengths: number[], correctAnswer?: string) => {
  const finding = muchShorterThanReferences.detect(
    context({ inputText: TASK, outputText, correctAnswer }, { references: correctOutputs(...lengths) }),
  );
  return finding && { summary: finding.summary, evidence: finding.evidence };
};

describe('much shorter than the references', () => {
  it('flags an open answer under a quarter of the median correct length, with the figures', () => {
    expect(check(SHORT, [1000, 900, 1100])).toEqual({
      summary: 'The output has 65 characters, 7% of the median 1000 of 3 reference answers: it likely leaves out required content.',
      evidence: `Output (65 chars): "${SHORT}"; reference lengths: 1000, 900, 1100.`,
    });
  });

  it('counts the reference answer among the lengths, trimmed, and says "answer" for one', () => {
    const reference = 'Start by washing the car in the shade. '.repeat(20).trim();
    expect(check(SHORT, [], `  ${reference}\n`)).toEqual({
      summary: `The output has 65 characters, 8% of the median ${reference.length} of 1 reference answer: it likely leaves out required content.`,
      evidence: `Output (65 chars): "${SHORT}"; reference lengths: ${reference.length}.`,
    });
    expect(check(SHORT, [1000, 900], '   ')?.summary).toBe(
      'The output has 65 characters, 7% of the median 950 of 2 reference answers: it likely leaves out required content.',
    );
  });

  it('measures outputs without end-of-text tokens and surrounding whitespace', () => {
    const padded = prediction({
      model: 'model-9',
      score: 1,
      outputText: `\n${'Dry it with a microfiber towel. '.repeat(30).trim()}\n</s>`,
    });
    const finding = muchShorterThanReferences.detect(
      context({ inputText: TASK, outputText: `  ${SHORT}\n\n<|eot_id|>` }, { references: [...correctOutputs(1000, 1100), padded] }),
    );
    expect(finding?.summary).toBe(
      'The output has 65 characters, 7% of the median 1000 of 3 reference answers: it likely leaves out required content.',
    );
    expect(finding?.evidence).toBe(`Output (65 chars): "${SHORT}"; reference lengths: 1000, 1100, 959.`);
  });

  it('leaves out correct outputs of the failing model itself', () => {
    const own = prediction({ model: 'model-a', score: 1, outputText: 'Wash, rinse and wax it. Done.' });
    const finding = muchShorterThanReferences.detect(
      context({ inputText: TASK, outputText: SHORT }, { references: [own, ...correctOutputs(1000)] }),
    );
    expect(finding?.evidence).toBe(`Output (65 chars): "${SHORT}"; reference lengths: 1000.`);
  });

  it('quotes at most 200 characters of the output', () => {
    const long =
      'Wash the car with a pH-neutral soap and two buckets, rinse it well, dry it with a microfiber towel, clay the paint, polish out swirls, apply a coat of wax or sealant, dress the tyres and clean the glass inside and out.';
    expect(long.length).toBeGreaterThan(200);
    expect(check(long, [3000, 3000])?.evidence).toBe(
      `Output (${long.length} chars): "${long.slice(0, 200)}"; reference lengths: 3000, 3000.`,
    );
  });

  it.each([
    ['a multiple-choice question', { inputText: MMLU_INPUT, outputText: 'Compute the discount first, then subtract it from 800.' }],
    ['an empty output', { inputText: TASK, outputText: '  ' }],
  ])('does not judge %s by length', (_, partial) => {
    expect(muchShorterThanReferences.detect(context(partial, { references: correctOutputs(1000, 900, 1100) }))).toBeNull();
  });

  it('needs at least one length to compare with', () => {
    expect(check(SHORT, [])).toBeNull();
  });

  it('needs a median of at least 200 characters', () => {
    const rinse = 'Rinse, dry and wax the whole car.';
    expect(check(rinse, [200, 200, 200])?.summary).toBe(
      'The output has 33 characters, 17% of the median 200 of 3 reference answers: it likely leaves out required content.',
    );
    expect(check(rinse, [199, 199, 199])).toBeNull();
  });

  it('needs the output under a quarter of the median', () => {
    expect(check(SHORT, [260, 260, 260])).toBeNull();
    expect(check(SHORT, [261, 261, 261])?.summary).toBe(
      'The output has 65 characters, 25% of the median 261 of 3 reference answers: it likely leaves out required content.',
    );
  });

  it('lets a correct output at most twice as long show that brevity did not fail the task', () => {
    expect(check(SHORT, [1000, 1000, 130])).toBeNull();
    expect(check(SHORT, [1000, 1000, 131])?.summary).toBe(
      'The output has 65 characters, 7% of the median 1000 of 3 reference answers: it likely leaves out required content.',
    );
  });

  it('lets a reference answer at most twice as long show that length does not separate them', () => {
    expect(check(SHORT, [1000, 1000], advice(130))).toBeNull();
    expect(check(SHORT, [1000, 1000], advice(131))).toEqual({
      summary: 'The output has 65 characters, 7% of the median 1000 of 3 reference answers: it likely leaves out required content.',
      evidence: `Output (65 chars): "${SHORT}"; reference lengths: 1000, 1000, 131.`,
    });
  });

  it.each([
    ['six words', 'Wash, rinse, dry, and wax it.', false],
    ['six words with extra spaces', '  Wash, rinse,  dry, and wax it.', false],
    ['seven words', 'Wash, rinse, dry, and then wax it.', true],
  ])('treats a reply of up to six words as a verdict, not an answer: %s', (_, outputText, flagged) => {
    expect(
      muchShorterThanReferences.detect(context({ inputText: TASK, outputText }, { references: correctOutputs(1000, 1000) }))?.detector ??
        null,
    ).toBe(flagged ? 'much_shorter_than_references' : null);
  });
});
