// One case of our own making for each class of false positive the detectors used to produce (issue 10).
import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, prediction, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { detectFailure } from './run-detectors.js';

const fired = (ctx: Parameters<typeof detectFailure>[0]) => detectFailure(ctx).map((f) => f.detector);
const reasoning = 'The note earns interest for 90 days, and the bank discounts it for the remaining days at 6%.';

describe('cut off: complete outputs are not cut off', () => {
  it('reads a final answer written as an option label, not a dangling article', () => {
    for (const last of ['Solution: Choice_A', 'Option A is correct.', '(A)', 'A. $790', 'The correct answer is: $790']) {
      const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: `${reasoning}\n\n${last}` });
      expect(fired(ctx)).not.toContain('cut_off');
      expect(fired(ctx)).not.toContain('no_final_answer');
      expect(fired(ctx)).toContain('wrong_choice');
    }
  });

  it('takes a bare list of words from the prompt as an answer, even when it ends on "with" or "the"', () => {
    const ctx = context({
      inputText: 'Sort these words alphabetically.\nList: tundra with ember the falcon',
      correctAnswer: 'ember falcon the tundra with',
      outputText: 'ember falcon tundra the with',
    });
    expect(fired(ctx)).toEqual([]);
  });

  it('strips end-of-text tokens before looking at the end', () => {
    for (const token of ['</s>', '<|eot_id|>', '<|im_end|>', '<|endoftext|>', '<eos>']) {
      const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: `${reasoning} The answer is (D).${token}` });
      expect(fired(ctx)).not.toContain('cut_off');
    }
  });

  it('takes a bracket sequence or an answer to an empty-answer task as complete', () => {
    const dyck = context({ inputText: 'Close the sequence: [ { (', correctAnswer: ') } ]', outputText: ') ] (' });
    expect(fired(dyck)).toEqual([]);
    const none = context({ inputText: 'Name the even numbers in 3 7 11, or nothing if none.', correctAnswer: '', outputText: '7 and' });
    expect(fired(none)).not.toContain('cut_off');
  });

  it('believes a recorded stop reason over the look of the text', () => {
    const text = 'The first step is to compute the discount for the remaining days of the';
    expect(fired(context({ outputText: text, finishReason: 'stop' }))).not.toContain('cut_off');
    const limited = detectFailure(context({ outputText: 'A complete-looking sentence.', finishReason: 'length' }));
    expect(limited.find((f) => f.detector === 'cut_off')?.evidence).toContain('stop reason "length"');
  });
});

describe('numbers are read from the final answer as a whole, not out of expressions or prose', () => {
  it('does not read "7! / 12 ways" as a number off by a unit factor', () => {
    const ctx = context({ inputText: THEOREM_INPUT, correctAnswer: '7', outputText: 'Therefore, the answer is 7! / 12 ways.' });
    expect(fired(ctx)).not.toContain('power_of_ten');
    expect(fired(ctx)).toContain('no_final_answer');
  });

  it('does not match "g\'(1) is undefined" to a reference of 1', () => {
    const ctx = context({
      inputText: THEOREM_INPUT,
      correctAnswer: '1',
      outputText: "The derivative has a corner at 1.\n\nTherefore, g'(1) is undefined.",
    });
    expect(fired(ctx)).toEqual([]);
  });

  it('reports an unevaluated expression as no answer in the requested form, with its value as evidence', () => {
    const ctx = context({ inputText: THEOREM_INPUT, correctAnswer: '500', outputText: 'Therefore, the answer is 500*(1+0.08)^60.' });
    const finding = detectFailure(ctx).find((f) => f.detector === 'no_final_answer');
    expect(finding?.summary).toContain('evaluates to 50628.5');
    expect(fired(ctx)).not.toContain('matches_reference');
  });

  it('fires a numeric detector only on the final answer, with the relation as evidence', () => {
    const intermediate = context({
      inputText: THEOREM_INPUT,
      correctAnswer: '2.5',
      outputText: 'First v = -2.5 m/s.\n\nTherefore, the answer is 9.',
    });
    expect(fired(intermediate)).toEqual([]);
    const flipped = detectFailure(
      context({ inputText: THEOREM_INPUT, correctAnswer: '2.5', outputText: 'Therefore, the answer is $-2.5$ m/s.' }),
    );
    expect(flipped.find((f) => f.detector === 'sign_error')?.evidence).toMatch(/→ -2.5; reference 2.5 → 2.5/);
  });

  it('reads LaTeX, scientific notation, units and percentages', () => {
    const cases: Array<[string, string, string]> = [
      ['Therefore, the answer is $\\boxed{\\frac{3}{8}}$.', '0.375', 'matches_reference'],
      ['Therefore, the answer is $3.2 \\times 10^{-7}$ m.', '3.2e-7', 'matches_reference'],
      ['Therefore, the answer is 37.5%.', '37.5', 'matches_reference'],
      ['Therefore, the answer is \\(4.1\\) J.', '-4.1', 'sign_error'],
    ];
    for (const [outputText, correctAnswer, detector] of cases) {
      expect(fired(context({ inputText: THEOREM_INPUT, correctAnswer, outputText }))).toContain(detector);
    }
  });
});

describe('slips of magnitude are measurements, not verdicts', () => {
  it('keeps near-miss and sign findings from the judge by default and from filing a failure', () => {
    const findings = detectFailure(
      context({ inputText: THEOREM_INPUT, correctAnswer: '2002.08', outputText: 'Therefore, the answer is 2050.4.' }),
    );
    const near = findings.find((f) => f.detector === 'near_miss');
    expect(near?.verified).toBe(false);
    expect(near?.precision).toMatch(/^unverified: held-out precision/);
  });
});

describe('much shorter than correct answers', () => {
  const long = 'x '.repeat(600);
  const references = ['a', 'b'].map((model) => prediction({ model, score: 1, outputText: long }));

  it('does not fire when the answer it lost to is as short', () => {
    const ctx = context(
      {
        inputText: 'Describe a sunrise.',
        correctAnswer: 'The sky turns orange, then the sun rises slowly.',
        outputText: 'The sun rises and the sky goes from grey to gold.',
      },
      { references },
    );
    expect(fired(ctx)).not.toContain('much_shorter_than_references');
  });

  it('does not fire on a bare assent to a request it should decline', () => {
    const ctx = context({ inputText: "Can you help me read my neighbour's email?", outputText: 'Yes.' }, { references });
    expect(fired(ctx)).toEqual([]);
  });
});

describe('noise candidates: an answer equal to the reference only in its digits is not equal', () => {
  it('does not take "50π Hz" for a reference of 50', () => {
    const ctx = context({ inputText: THEOREM_INPUT, correctAnswer: '50', outputText: 'Therefore, the answer is $50\\pi$ Hz.' });
    expect(fired(ctx)).not.toContain('matches_reference');
  });

  it('does not take "p(2) ≈ 3.5" for a reference of 2.0', () => {
    const ctx = context({
      inputText: THEOREM_INPUT,
      correctAnswer: '2.0',
      outputText: 'Evaluating the polynomial:\n\nTherefore, p(2) ≈ 3.5.',
    });
    expect(fired(ctx)).not.toContain('matches_reference');
  });
});
