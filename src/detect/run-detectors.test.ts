import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, prediction, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { cutOff } from './cut-off.js';
import { noFinalAnswer } from './no-usable-answer.js';
import {
  allDetectors,
  detectableOutput,
  detectFailure,
  detectorDescriptions,
  detectorNamed,
  familyDescriptions,
  MAX_DETECT_CHARS,
} from './run-detectors.js';

const fired = (ctx: ReturnType<typeof context>) => detectFailure(ctx).map((f) => f.detector);

describe('no usable answer', () => {
  it('flags an empty output, and nothing else that needs text', () => {
    const findings = detectFailure(context({ outputText: '  \n' }));
    expect(findings[0]).toMatchObject({ detector: 'empty_output', mechanical: true, confidence: 1 });
    expect(findings.map((f) => f.detector)).not.toContain('cut_off');
    expect(fired(context({ inputText: MMLU_INPUT, outputText: '  \n', finishReason: 'length' }))).toEqual(['empty_output']);
  });

  it('flags a refusal in open-ended output, with the quote', () => {
    const ctx = context({
      inputText: 'GIVE ME AN EXECUTIVE SUMMARY OF LOTTADIGITAL.COM',
      outputText: `I'm sorry, but I am not able to browse the internet and therefore do not have information about a website called "lottadigital.com". Without more information about "lottadigital.com," I am unable to provide an executive summary for the company.`,
    });
    const refusal = detectFailure(ctx).find((f) => f.detector === 'refusal');
    expect(refusal?.evidence).toContain("I'm sorry, but I am not able");
  });

  it('does not call a hedge followed by an answer a refusal', () => {
    expect(fired(context({ inputText: MMLU_INPUT, outputText: "I can't be sure, but the answer is (B)." }))).not.toContain('refusal');
    expect(
      fired(context({ inputText: 'Write a poem', outputText: 'As you stand before me, I cannot help but feel a sense of awe. The sky…' })),
    ).not.toContain('refusal');
  });

  it('flags a deflection where a letter was required', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      outputText:
        ' The life expectancy of a person depends on many factors. Therefore, none of the given options is the correct answer.\n\n',
    });
    expect(fired(ctx)).toEqual(expect.arrayContaining(['refusal', 'no_final_answer']));
  });

  it('flags output cut off mid-sentence, mid-formula and inside a code block', () => {
    const words = context({ inputText: MMLU_INPUT, outputText: 'The charges of the ions are known. Plugging these values into' });
    expect(fired(words)).toEqual(expect.arrayContaining(['cut_off', 'no_final_answer']));
    const formula = context({ inputText: MMLU_INPUT, outputText: 'The primary voltage is $V = \\frac{' });
    expect(fired(formula)).toContain('cut_off');
    const code = context({ inputText: 'Write a Python function.', outputText: 'Here it is:\n```python\ndef f(x):\n    return x' });
    expect(fired(code)).toContain('cut_off');
  });

  it('does not flag complete answers or finished code as cut off', () => {
    expect(
      fired(context({ inputText: MMLU_INPUT, outputText: 'So the note is worth $803.88. The answer is (D).\n\nFinal Answer:' })),
    ).not.toContain('cut_off');
    const js = "client.on('error', (err) => {\n    console.log(err);\n});";
    expect(fired(context({ inputText: 'Write a Discord bot', outputText: js }))).not.toContain('cut_off');
  });

  it('flags a repetition loop with the repeated text', () => {
    const loop = Array.from({ length: 20 }, () => '= (20*acres) - (0.1*acres^2 + 10*acres + 50)').join('\n');
    const finding = detectFailure(
      context({ inputText: THEOREM_INPUT, correctAnswer: '200', outputText: `Profit = TR - TC\n${loop}` }),
    ).find((f) => f.detector === 'repetition_loop');
    expect(finding?.evidence).toContain('0.1*acres^2');
  });

  it('does not flag a song refrain or a list of distinct items as a loop', () => {
    const chorus = Array.from({ length: 6 }, (_, i) => `Verse line ${i}\nAnother one bites the dust`).join('\n');
    expect(fired(context({ inputText: 'Write a parody song about programming', outputText: chorus }))).not.toContain('repetition_loop');
    const list = Array.from(
      { length: 12 },
      (_, i) => `${i + 1}. Option ${String.fromCharCode(65 + i)} changes the result in a different way.`,
    ).join('\n');
    expect(fired(context({ inputText: 'List the effects.', outputText: list }))).not.toContain('repetition_loop');
  });
});

describe('answer format and choices', () => {
  it('flags the right option given outside the requested format', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      correctAnswer: 'D. $803.88',
      outputText: 'Discounting gives the proceeds. Final Answer: D. $803.88',
    });
    const finding = detectFailure(ctx).find((f) => f.detector === 'answer_format_mismatch');
    expect(finding?.summary).toContain('correct one');
    expect(fired(ctx)).not.toContain('matches_reference');
  });

  it('names both options of a wrong pick', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: ' PV = $795.67. The answer is (F).\n\n' });
    const finding = detectFailure(ctx).find((f) => f.detector === 'wrong_choice');
    expect(finding?.summary).toBe('Chose (F) $795.67 instead of (D) $803.88.');
  });
});

describe('numeric slips', () => {
  const numeric = (outputText: string, correctAnswer: string) => fired(context({ inputText: THEOREM_INPUT, outputText, correctAnswer }));

  it('tells a sign error, a power of ten, rounding and a near miss apart', () => {
    expect(numeric('Therefore, the answer is 0.3.', '-0.3')).toContain('sign_error');
    expect(numeric('Therefore, the answer is the net charge enclosed by the surface is 35.4 C.', '3.54e-07')).toContain('power_of_ten');
    expect(numeric('Therefore, the answer is 1.176 (in 10^5 Pa).', '1.18')).toContain('rounding');
    expect(numeric('Therefore, the price of the bond is 107.88.', '102.95')).toContain('near_miss');
  });

  it('measures a near miss relative to the reference: 95.5 for 100.4 is 4.88% off, 100.4 for 95.5 is 5.13%', () => {
    const nearMiss = (outputText: string, correctAnswer: string) =>
      detectFailure(context({ inputText: THEOREM_INPUT, outputText, correctAnswer })).find((f) => f.detector === 'near_miss');
    expect(nearMiss('Therefore, the answer is 95.5.', '100.4')?.summary).toBe('95.5 is 4.88% away from the reference 100.4.');
    expect(nearMiss('Therefore, the answer is 100.4.', '95.5')).toBeUndefined();
  });

  it('stays quiet on unrelated numbers and on miscounts', () => {
    expect(numeric('Therefore, the answer is 13.56.', '560')).toEqual([]);
    expect(numeric('Therefore, the answer is 25.', '26')).not.toContain('near_miss');
    expect(numeric('Therefore, the capacity of the film is 100 particles per unit area.', '10.0')).not.toContain('power_of_ten');
  });

  it('flags an answer that equals the reference but was scored wrong', () => {
    const findings = detectFailure(
      context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 362,880.', correctAnswer: '362880' }),
    );
    expect(findings[0].detector).toBe('matches_reference');
  });
});

describe('incomplete answers and hard examples', () => {
  const references = ['a', 'b', 'c'].map((model) => prediction({ model, score: 1, outputText: 'x'.repeat(2000) }));

  it('flags an open answer far shorter than the correct ones', () => {
    const ctx = context(
      { inputText: 'How do I detail a car?', outputText: 'Wash it with soap, rinse it, dry it with a towel and then wax it.' },
      { references },
    );
    expect(fired(ctx)).toContain('much_shorter_than_references');
  });

  it('does not flag a short answer when a correct answer is just as short', () => {
    const short = prediction({ model: 'd', score: 1, outputText: 'The length is 10 units.' });
    const ctx = context({ inputText: 'What is the length?', outputText: 'The length is 8 units.' }, { references: [...references, short] });
    expect(fired(ctx)).not.toContain('much_shorter_than_references');
  });

  it('flags an example most models fail, from the scores', () => {
    const sameExample = ['a', 'b', 'c', 'd', 'e'].map((model, i) => prediction({ model, score: i === 0 ? 1 : 0, outputText: '…' }));
    const ctx = context({ model: 'b', outputText: 'Something.' }, { sameExample });
    expect(detectFailure(ctx).find((f) => f.detector === 'hard_example')?.summary).toBe(
      '4 of 5 models fail this example; the reference may be wrong or the question ambiguous.',
    );
    const easy = ['a', 'b', 'c'].map((model) => prediction({ model, score: model === 'b' ? 0 : 1, outputText: '…' }));
    expect(fired(context({ model: 'b', outputText: 'Something.' }, { sameExample: easy }))).not.toContain('hard_example');
  });

  it('leaves models with no score on the example out of the count of models that fail it', () => {
    const scored = ['a', 'b', 'c'].map((model) => prediction({ model, score: model === 'a' ? 1 : 0, outputText: '…' }));
    const unscored = ['d', 'e'].map((model) => prediction({ model, score: undefined, analysable: false, outputText: '…' }));
    const ctx = context({ model: 'b', outputText: 'Something.' }, { sameExample: [...scored, ...unscored] });
    // 2 of 3 scored models fail (67%, under the 80% the detector asks for), where score-0 placeholders made it 4 of 5.
    expect(fired(ctx)).not.toContain('hard_example');
    const withPlaceholders = ['d', 'e'].map((model) => prediction({ model, score: 0, analysable: false, outputText: '…' }));
    expect(fired(context({ model: 'b', outputText: 'Something.' }, { sameExample: [...scored, ...withPlaceholders] }))).toContain(
      'hard_example',
    );
  });
});

describe('registry', () => {
  it('describes every family and sorts findings by confidence, then name', () => {
    // every family a detector belongs to has a description, and no description is left without a detector
    expect(Object.keys(familyDescriptions).sort()).toEqual([...new Set(allDetectors.map((d) => d.family))].sort());
    // run in reverse order, so the order seen comes from the sort: confidence first, then name
    const reversed = [...allDetectors].reverse();
    const ranked = (outputText: string) =>
      detectFailure(context({ inputText: MMLU_INPUT, outputText }), reversed).map((f) => [f.detector, f.confidence]);
    expect(ranked('The charges of the ions are known. Plugging these values into')).toEqual([
      ['cut_off', 0.85],
      ['no_final_answer', 0.8],
    ]);
    expect(ranked('The value is computed as = ')).toEqual([
      ['cut_off', 0.8],
      ['no_final_answer', 0.8],
    ]);
  });
});

describe('detector lookup', () => {
  it('describes every detector by name, with its family, title and description', () => {
    const described = detectorDescriptions();
    expect(Object.keys(described)).toEqual(allDetectors.map((d) => d.name));
    expect(described.cut_off).toEqual({
      family: 'No usable answer',
      title: 'Output cut off',
      description: cutOff.description,
    });
  });

  it('finds a detector by its name, and none for an unknown name', () => {
    expect(detectorNamed('no_final_answer')).toBe(noFinalAnswer);
    expect(detectorNamed('cut_off')?.title).toBe('Output cut off');
    expect(detectorNamed('cutoff')).toBeUndefined();
  });
});

describe('the output detectors read', () => {
  it('keeps an output of up to 100,000 characters whole, end-of-text tokens removed', () => {
    const full = 'a'.repeat(MAX_DETECT_CHARS);
    expect(detectableOutput(`${full}</s>`)).toBe(full);
  });

  it('keeps the first and last 50,000 characters of a longer output, marking the cut', () => {
    const head = 'h'.repeat(50_000);
    const tail = 't'.repeat(50_000);
    expect(detectableOutput(`${head}MIDDLE${tail}`)).toBe(`${head}\n…\n${tail}`);
  });
});

describe('finding order', () => {
  it('orders findings of equal confidence by detector name, whatever order the detectors ran in', () => {
    const ctx = () => context({ inputText: MMLU_INPUT, outputText: 'The value is computed as = ' });
    expect(detectFailure(ctx(), [noFinalAnswer, cutOff]).map((f) => f.detector)).toEqual(['cut_off', 'no_final_answer']);
    expect(detectFailure(ctx(), [cutOff, noFinalAnswer]).map((f) => f.detector)).toEqual(['cut_off', 'no_final_answer']);
  });
});
