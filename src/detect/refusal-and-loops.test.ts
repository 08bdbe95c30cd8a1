// Synthetic cases for the refusal and repetition-loop patterns added after the held-out measurement.
import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT } from '../../test/support/detector-fixtures.js';
import { periodicRun } from './repetition-loop.js';
import { detectFailure } from './run-detectors.js';

const fired = (ctx: ReturnType<typeof context>) => detectFailure(ctx).map((f) => f.detector);

describe('refusal: soft declines and deflections', () => {
  it('flags a short "not licensed / not trained" decline', () => {
    const medical = context({
      inputText: 'Is ibuprofen safe to take with coffee?',
      outputText: 'As an AI model, I am not licensed to give medical advice. Please ask a pharmacist or your doctor.',
    });
    const coding = context({
      inputText: 'Write a Rust function that reverses a string.',
      outputText: "I'm not trained to write code yet. Is there anything else I can do for you?",
    });
    expect(fired(medical)).toContain('refusal');
    expect(fired(coding)).toContain('refusal');
  });

  it('does not flag a "not qualified, but…" caveat ahead of a long answer', () => {
    const answer = `I am not qualified to give legal advice, but in general a lease can be ended early in a few ways. ${'First, check the break clause and its notice period. '.repeat(12)}`;
    expect(fired(context({ inputText: 'How do I end my lease early?', outputText: answer }))).not.toContain('refusal');
  });

  it('flags a short reply that asks the user for details instead of doing the task', () => {
    const ctx = context({
      inputText: 'Write a thank-you note to a colleague who covered my shift.',
      outputText: "Sure, I'd be glad to write it. Could you please tell me your colleague's name?",
    });
    expect(fired(ctx)).toContain('refusal');
  });

  it('does not flag an answer that ends by offering more help', () => {
    const ctx = context({
      inputText: 'What is the capital of Peru?',
      outputText: 'The capital of Peru is Lima. Let me know if you have other questions!',
    });
    expect(fired(ctx)).not.toContain('refusal');
  });

  it('flags a premise objection with no answer after it, but not one followed by the answer', () => {
    const objection = context({
      inputText: 'If a train leaves at 3pm and travels 2 hours, when does it arrive?',
      outputText:
        "Thank you for your question! However, I must point out that the question contains assumptions that don't make sense, since trains can be delayed for many reasons. I hope you understand, and let me know if you have other questions!",
    });
    const answered = context({
      inputText: 'If a train leaves at 3pm and travels 2 hours, when does it arrive?',
      outputText:
        "I must point out that the question doesn't make sense if the train is delayed. However, assuming it runs on time, the answer is 5pm.",
    });
    expect(fired(objection)).toContain('refusal');
    expect(fired(answered)).not.toContain('refusal');
  });

  it('flags "not answerable" after a closest-option guess where a letter was required', () => {
    const ctx = context({
      inputText: MMLU_INPUT,
      outputText: 'The result is $799.00. The closest option is A. $790, but it is not exact. Therefore, the question is not answerable.',
    });
    expect(fired(ctx)).toContain('refusal');
  });
});

describe('repetition loop: templates and restated lines', () => {
  it('flags lines built from one template with a changing last word', () => {
    const topics = [
      'pricing',
      'marketing',
      'touring',
      'merchandise',
      'radio',
      'labels',
      'royalties',
      'charts',
      'awards',
      'venues',
      'fans',
      'press',
      'playlists',
      'genres',
    ];
    const text = topics.map((t, i) => `${i + 1}. Streaming platforms have also led to the decline of the industry's ${t}.`).join('\n');
    const finding = detectFailure(context({ inputText: 'Write a podcast script about streaming.', outputText: text })).find(
      (f) => f.detector === 'repetition_loop',
    );
    expect(finding?.evidence).toContain('streaming platforms have also led to');
  });

  it('flags numbered steps that repeat with only the step number changing', () => {
    const steps = Array.from({ length: 20 }, (_, i) => `Step ${i + 1}: ${i % 2 ? 'Simplify' : 'Divide both sides by 0'}: 0 = 0`).join('\n');
    expect(fired(context({ inputText: 'Solve x.', outputText: steps }))).toContain('repetition_loop');
  });

  it('flags a list that cycles back through the same items', () => {
    const items = [
      'The cat purred on my lap.',
      'The sun set slowly in the sky.',
      'The rain poured down in sheets.',
      'The stars twinkled at night.',
      'The baby giggled at the clown.',
    ];
    const list = Array.from({ length: 30 }, (_, i) => `${i + 1}. ${items[i % items.length]}`).join('\n');
    expect(fired(context({ inputText: 'Write 30 six-word stories.', outputText: list }))).toContain('repetition_loop');
  });

  it('does not flag a ten-option walk-through, a varied itinerary, a written-out recursion or repeated code', () => {
    const effects = [
      'b becomes 10 for a = 0',
      'a is reassigned',
      'the branch flips for negatives',
      'positives take the first branch',
      'the logic is inverted',
      'b becomes 20',
      'the else branch adds 10',
      'b is fixed at 20',
      'a is overwritten',
      'a is set to 20',
    ];
    const options = effects.map((e, i) => `Option ${'ABCDEFGHIJ'[i]} is incorrect, since ${e}, which changes the output.`).join('\n');
    const days = [
      'the old town',
      'the cathedral',
      'the lake',
      'the castle',
      'the museum',
      'the market',
      'the harbour',
      'the vineyards',
      'the gorge',
      'the summit',
      'the beach',
      'the zoo',
      'the palace',
      'the gardens',
    ];
    const itinerary = days.map((d, i) => `Day ${i + 1}: Visit ${d} and have dinner nearby.`).join('\n');
    const recursion = Array.from({ length: 16 }, (_, i) => `S(${i + 4}, 3) = 3 * S(${i + 3}, 3) + S(${i + 3}, 2)`).join('\n');
    const code = Array.from(
      { length: 6 },
      (_, i) =>
        `Template ${i + 1}:\n\`\`\`latex\n\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\nSection ${i}\n\\end{document}\n\`\`\``,
    ).join('\n');
    for (const [name, outputText] of Object.entries({ options, itinerary, recursion, code })) {
      expect(fired(context({ inputText: 'Answer the question.', outputText })), name).not.toContain('repetition_loop');
    }
  });
});

describe('periodicRun', () => {
  it('finds a long loop even after a short repeated stretch earlier in the text', () => {
    const text = `Let me think: aaaaaaaaaaaaaaaa then ${'the answer is 4, '.repeat(20)}`;
    const run = periodicRun(text);
    expect(run).toMatchObject({ period: 'the answer is 4, '.length, repeats: 20 });
    expect(run?.start).toBeGreaterThan(text.indexOf('then'));
  });

  it('ignores repetition too short to be a loop', () => {
    expect(periodicRun(`${'ab'.repeat(20)} and then a normal sentence follows.`)).toBeUndefined();
    expect(periodicRun('Step 1: add. Step 2: add. Step 3: done.')).toBeUndefined();
  });
});
