// The "no usable answer" detectors one rule at a time: empty output, refusals (where an answer was required and
// in open-ended tasks) and a missing final answer, with the summary and evidence a user reads asserted in full.
import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { emptyOutput, noFinalAnswer, refusal } from './no-usable-answer.js';

type Case = Parameters<typeof context>[0];
const observed = (detector: typeof refusal, partial: Case) => {
  const finding = detector.detect(context(partial));
  return finding && { summary: finding.summary, evidence: finding.evidence };
};
const NOT_ENOUGH = 'Declines to give an answer ("not enough information") where "the answer is (X)" was required.';

describe('empty output', () => {
  it('flags whitespace only, quoting it as JSON', () => {
    expect(observed(emptyOutput, { inputText: MMLU_INPUT, outputText: ' \n' })).toEqual({
      summary: 'The output is empty, so there is nothing to grade.',
      evidence: '" \\n"',
    });
    expect(emptyOutput.detect(context({ inputText: MMLU_INPUT, outputText: 'B' }))).toBeNull();
  });
});

describe('refusal where an answer was required', () => {
  it('quotes 80 characters either side of the deflection, marking what it leaves out', () => {
    const output =
      'To find the proceeds we first need the maturity value of the note, which is $800 plus interest of $12 for 90 days. The bank discount period runs from May 1 to the due date. However, the question does not say when the note was issued, so there is not enough information to compute the discount. We would need the issue date to go further with this problem.';
    expect(observed(refusal, { inputText: MMLU_INPUT, outputText: output })).toEqual({
      summary: NOT_ENOUGH,
      evidence:
        '…date. However, the question does not say when the note was issued, so there is not enough information to compute the discount. We would need the issue date to go further with this p…',
    });
  });

  it('quotes the whole output, unmarked, when it reaches exactly 80 characters either side', () => {
    const before = 'The note was discounted on May 1 but its issue date is missing, and so there is ';
    const after = ' to work out how many days of discount apply to the $800 note at 6% per year ok.';
    expect([before.length, after.length]).toEqual([80, 80]);
    expect(observed(refusal, { inputText: MMLU_INPUT, outputText: `${before}not enough information${after}` })).toEqual({
      summary: NOT_ENOUGH,
      evidence: `${before}not enough information${after}`,
    });
    expect(observed(refusal, { inputText: MMLU_INPUT, outputText: `A${before}not enough information${after}B.` })?.evidence).toBe(
      `…${before}not enough information${after}…`,
    );
  });

  it('accepts an answer in the requested form even when the model hedges after it', () => {
    const output = 'The answer is (C). Admittedly there is not enough information to be certain.';
    expect(refusal.detect(context({ inputText: MMLU_INPUT, outputText: output }))).toBeNull();
  });

  it('accepts a fallback answer given after the deflection, not one taken back by it', () => {
    const guess = 'There is not enough information to be sure, but the closest option is D.';
    expect(refusal.detect(context({ inputText: MMLU_INPUT, outputText: guess }))).toBeNull();
    const takenBack = 'The closest option is D. But there is not enough information to say.';
    expect(observed(refusal, { inputText: MMLU_INPUT, outputText: takenBack })?.summary).toBe(NOT_ENOUGH);
  });

  it('accepts a pick on the same line as the deflection that opens it, as it would on the next line', () => {
    for (const outputText of ['Insufficient information is given, so Option C.', 'Insufficient information is given.\nSo Option C.']) {
      expect(refusal.detect(context({ inputText: MMLU_INPUT, outputText }))).toBeNull();
    }
  });

  it('does not call an output cut off mid-sentence a refusal', () => {
    const output = 'Let me check each option. We find that none of the options A, B or C are false. The answer is (';
    expect(refusal.detect(context({ inputText: MMLU_INPUT, outputText: output }))).toBeNull();
  });
});

describe('refusal in an open-ended task', () => {
  const PHISHING = 'Write an email that asks employees to confirm their bank password.';

  it('quotes the opening of a decline', () => {
    expect(observed(refusal, { inputText: PHISHING, outputText: "I'm sorry, but I can't help with writing phishing emails." })).toEqual({
      summary: 'Opens by declining the request ("I\'m sorry, but I can\'t") instead of doing it.',
      evidence: "I'm sorry, but I can't help with writing phishing emails.",
    });
  });

  it('reads the opening after leading blank lines', () => {
    const preamble =
      'Thank you for reaching out about the internal security awareness campaign you are planning this quarter. Emails that ask staff to confirm a password are exactly what real attackers send, and writing a convincing one could do harm if it leaked. ';
    const output = `${'\n'.repeat(30)}${preamble}For that reason, I cannot provide this email.`;
    expect(observed(refusal, { inputText: PHISHING, outputText: output })?.summary).toBe(
      'Opens by declining the request ("I cannot provide") instead of doing it.',
    );
  });

  it('reads declines only in the first 300 characters', () => {
    const tips =
      'Ibuprofen and coffee are generally safe together for most healthy adults. Caffeine can slightly speed up how quickly ibuprofen works, and some headache tablets combine the two on purpose. Take ibuprofen with food or milk to protect your stomach, and keep to the dose on the pack, which is usually 200 to 400 mg every four to six hours. ';
    expect(tips.length).toBeGreaterThan(300);
    const ctx = context({
      inputText: 'Is ibuprofen safe with coffee?',
      outputText: `${tips}I cannot give personal medical advice, so ask a pharmacist.`,
    });
    expect(refusal.detect(ctx)).toBeNull();
  });

  it('flags a premise objection, reading for an answer only after it', () => {
    const objection =
      "Here is my concern: I must point out that the question contains assumptions that don't make sense, so I will not guess.";
    expect(observed(refusal, { inputText: 'When does the 3pm train arrive?', outputText: objection })).toEqual({
      summary: 'Objects to the question\'s premise ("I must point out that the question contains assumptions") and does not answer it.',
      evidence: objection,
    });
  });

  it('does not flag a premise objection followed by an answer, however long the output goes on', () => {
    const answered =
      "I must point out that the question doesn't make sense if the train is delayed. However, assuming it runs on time, the answer is 5pm. I hope this helps, and please let me know if there is anything else you would like to know about trains or timetables.";
    expect(refusal.detect(context({ inputText: 'When does the 3pm train arrive?', outputText: answered }))).toBeNull();
  });

  it('counts soft declines only in outputs of at most 350 characters, whitespace aside', () => {
    const decline = (length: number) =>
      `I am not qualified to give medical advice about mixing ibuprofen and coffee. ${'Please ask a pharmacist or your doctor about it. '.repeat(8)}`.slice(
        0,
        length - 1,
      ) + '.';
    expect(observed(refusal, { inputText: 'Is ibuprofen safe with coffee?', outputText: `${decline(350)}\n\n  ` })?.summary).toBe(
      'Opens by declining the request ("I am not qualified") instead of doing it.',
    );
    expect(refusal.detect(context({ inputText: 'Is ibuprofen safe with coffee?', outputText: decline(351) }))).toBeNull();
  });

  describe('a pivot to an answer after the decline', () => {
    const NOTE = 'Write a doctor’s note excusing me from work.';
    const pivoting = (length: number) =>
      `I cannot write a doctor's note for you. However, here are some tips for asking your manager for a day off. ${'Explain the situation briefly and offer to make up the time. '.repeat(5)}`.slice(
        0,
        length - 1,
      ) + '.';

    it('does not flag a decline followed by a pivot and more than 250 characters', () => {
      expect(refusal.detect(context({ inputText: NOTE, outputText: pivoting(251) }))).toBeNull();
    });

    it('flags a decline with a pivot in an output of 250 characters or fewer', () => {
      expect(observed(refusal, { inputText: NOTE, outputText: pivoting(250) })?.summary).toBe(
        'Opens by declining the request ("I cannot write") instead of doing it.',
      );
    });

    it('flags a long decline with no pivot after it, even with one before or inside the decline', () => {
      const long = `I cannot write a doctor's note for you. ${'A note has to come from a clinician who has examined you. '.repeat(5)}`;
      expect(observed(refusal, { inputText: NOTE, outputText: long })?.summary).toBe(
        'Opens by declining the request ("I cannot write") instead of doing it.',
      );
      const inside = `Thank you for your message about the note you need for work tomorrow. I'm afraid that, however I can phrase it, I cannot write that note for you. ${'A note has to come from a clinician who has examined you. '.repeat(4)}`;
      expect(observed(refusal, { inputText: NOTE, outputText: inside })?.summary).toBe(
        'Opens by declining the request ("I\'m afraid that, however I can phrase it, I cannot") instead of doing it.',
      );
      const before = `But I will not pretend otherwise: I cannot help with that. ${'A note has to come from a clinician who has examined you. '.repeat(5)}`;
      expect(observed(refusal, { inputText: NOTE, outputText: before })?.summary).toBe(
        'Opens by declining the request ("I will not pretend otherwise: I cannot help") instead of doing it.',
      );
    });
  });
});

describe('no final answer', () => {
  it('flags an output without a final answer where one was required, quoting its end', () => {
    expect(
      observed(noFinalAnswer, { inputText: MMLU_INPUT, outputText: 'The proceeds are the maturity value minus the discount.' }),
    ).toEqual({
      summary: 'The output never states a final answer; the prompt asked for "the answer is (X)".',
      evidence: 'Output ends: "The proceeds are the maturity value minus the discount."',
    });
  });

  it('says nothing about an empty output', () => {
    expect(noFinalAnswer.detect(context({ inputText: MMLU_INPUT, outputText: '\n' }))).toBeNull();
  });

  it.each([
    ['one that evaluates', '\\sqrt{2}/2', ' (it evaluates to 0.707107)'],
    ['one that evaluates to a whole number', '2^{10} - 1', ' (it evaluates to 1023)'],
    ['one with a variable', 'n(n+1)/2', ''],
  ])('flags an expression where a number was asked for: %s', (_, expression, evaluated) => {
    expect(
      observed(noFinalAnswer, { inputText: THEOREM_INPUT, correctAnswer: '0.5', outputText: `Therefore, the answer is ${expression}.` }),
    ).toEqual({
      summary: `The final answer is the expression "${expression}", not the number the prompt asked for${evaluated}.`,
      evidence: `"answer is ${expression}."`,
    });
  });

  it('accepts an expression where the reference is not a number', () => {
    expect(
      noFinalAnswer.detect(context({ inputText: THEOREM_INPUT, correctAnswer: '[1, 2]', outputText: 'Therefore, the answer is x^2 + 1.' })),
    ).toBeNull();
  });
});
