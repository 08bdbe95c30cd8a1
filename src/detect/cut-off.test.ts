// The cut-off detector rule by rule: the recorded stop reason first, then the visible breaks, each on both
// sides of its threshold, with the summary a user reads asserted in full.
import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { cutOff, isLengthStop, medianOf } from './cut-off.js';

const OPEN_TASK = 'Give me some tips for sleeping better.';
type Case = Parameters<typeof context>[0];
const cut = (partial: Case) => cutOff.detect(context(partial))?.summary ?? null;
const MID_SENTENCE = 'The output stops mid-sentence before giving a final answer.';
const UNFINISHED_PROSE = 'The output stops in the middle of a sentence.';
const dangling = (word: string) => `The output stops mid-sentence, on the word "${word}", without a final answer.`;
const openEnd = (char: string) => `The output stops mid-sentence, on "${char}", without a final answer.`;

describe('the recorded stop reason', () => {
  it.each(['length', 'MAX_TOKENS', ' max_tokens ', 'model_length'])('reads stop reason %j as the token limit', (reason) => {
    const finding = cutOff.detect(
      context({ inputText: MMLU_INPUT, outputText: 'The note is discounted for 30 days.\nThe answer is (D).', finishReason: reason }),
    );
    expect(finding?.summary).toBe(`Generation stopped at the token limit (stop reason "${reason}").`);
    expect(finding?.evidence).toBe(`stop reason "${reason}"; Output ends: "The note is discounted for 30 days.\nThe answer is (D)."`);
    expect(finding?.confidence).toBe(0.97);
  });

  it('says nothing about an empty output, whatever the stop reason', () => {
    expect(cut({ inputText: MMLU_INPUT, outputText: ' \n', finishReason: 'length' })).toBeNull();
  });

  it.each(['stop', 'STOP', ' end_turn', 'eos'])('trusts stop reason %j that the model ended the output itself', (reason) => {
    expect(
      cut({ inputText: MMLU_INPUT, outputText: 'The charges of the ions are known. Plugging these values into', finishReason: reason }),
    ).toBeNull();
  });

  it('still looks at the text when the stop reason says nothing about length', () => {
    expect(
      cut({
        inputText: MMLU_INPUT,
        outputText: 'The charges of the ions are known. Plugging these values into',
        finishReason: 'content_filter',
      }),
    ).toBe(dangling('into'));
  });

  it('tells a token-limit stop reason from the others', () => {
    expect([undefined, 'length', 'Max_Tokens ', 'stop', 'content_filter'].map(isLengthStop)).toEqual([false, true, true, false, false]);
  });
});

describe('an unclosed code block or LaTeX group', () => {
  it.each([
    ['a code block', 'Here it is:\n```python\ndef f(x):\n    return x', 'The output stops inside an unclosed code block.'],
    ['an indented code block', '1. Install it:\n    ```bash\n    pip install requests', 'The output stops inside an unclosed code block.'],
    ['\\boxed{ with a nested group', 'So $x = \\boxed{\\frac{3}{4}', 'The output stops inside an unclosed \\boxed{...}.'],
    ['\\boxed{ right after a closed group', '$x^{2} = \\boxed{4', 'The output stops inside an unclosed \\boxed{...}.'],
    ['\\boxed{ at the very start', '\\boxed{\\frac{1}{2}', 'The output stops inside an unclosed \\boxed{...}.'],
    ['\\begin{align}', 'We have\n\\begin{align}\nx &= 2y \\\\\ny &= 3', 'The output stops inside an unclosed \\begin{align} environment.'],
    [
      'a second \\begin{cases}',
      '\\begin{cases} 1 \\end{cases} and \\begin{cases} x & x > 0 \\\\',
      'The output stops inside an unclosed \\begin{cases} environment.',
    ],
    ['$$', 'The energy is\n$$E = mc^2', 'The output stops inside an unclosed $$ display formula.'],
  ])('flags %s left open', (_, outputText, summary) => {
    const finding = cutOff.detect(context({ inputText: OPEN_TASK, outputText }));
    expect(finding?.summary).toBe(summary);
    expect(finding?.confidence).toBe(0.9);
    expect(finding?.evidence).toBe(`Output ends: "${outputText}"`);
  });

  it.each([
    ['a closed code block', 'Here it is:\n```python\ndef f(x):\n    return x\n```\nCall it with a number.'],
    ['triple backticks inside a sentence', 'Wrap code in triple backticks (```) to format it.'],
    ['a closed \\boxed{} with nested groups', 'The slope is \\boxed{\\frac{d}{dx}(x^{2}) = 2x}.'],
    ['a closed environment', 'We have\n\\begin{align}\nx &= 2y\n\\end{align}\nwhich settles it.'],
    ['a closed $$ formula', 'The energy is\n$$E = mc^2$$\nfor a body at rest.'],
  ])('does not flag %s', (_, outputText) => {
    expect(cut({ inputText: OPEN_TASK, outputText })).toBeNull();
  });

  it('does not flag an open group when the final answer is on the last line', () => {
    expect(cut({ inputText: MMLU_INPUT, outputText: 'Using $$PV = FV(1 - dt)$$ and $$d = 0.06\nthe answer is (D).' })).toBeNull();
    expect(
      cut({ inputText: THEOREM_INPUT, correctAnswer: '42', outputText: 'Therefore, the answer is 42.\n```python\nprint(42)' }),
    ).toBeNull();
    expect(cut({ inputText: THEOREM_INPUT, correctAnswer: '42', outputText: 'So we get\n$$\n\\boxed{\n42\n}' })).toBeNull();
  });

  it('flags an open group after a final answer given on an earlier line', () => {
    expect(
      cut({ inputText: MMLU_INPUT, outputText: 'The answer is (B).\n\nTo double-check:\n```python\nprint(800 * 0.06 * 90 / 360)' }),
    ).toBe('The output stops inside an unclosed code block.');
  });
});

describe('a sentence broken off without a final answer', () => {
  it.each([
    ['a dangling word', 'The charges of the ions are known. Plugging these values into', dangling('into')],
    ['a dangling word, four words on the line', 'Next we discount the', dangling('the')],
    ['a dangling word, three words on the line', 'The value of', null],
    ['a dangling word, three words on an indented line', 'Step 1:\n   The value of', null],
    ['three words with a double space', 'The  value of', null],
    ['an open parenthesis', 'The present value is PV = FV / (', openEnd('(')],
    ['an equals sign, three words', 'Total cost =', openEnd('=')],
    ['an equals sign, two words', 'Total =', null],
    ['six words ending on a letter', 'First compute the discount for 90 days', MID_SENTENCE],
    ['five words ending on a letter', 'First compute the discount amount', null],
    ['six words ending on a number', 'The discount for 90 days is 12', MID_SENTENCE],
    ['a finished sentence', 'First we compute the discount for the remaining days.', null],
    ['a list line "12."', '12. Compute the discount over the remaining days', null],
    ['a list line "- "', '- Compute the discount over the remaining days', null],
    ['a line that starts with a one-letter word', 'I think the discount is computed over 90 days', MID_SENTENCE],
    ['a dash inside the line', 'The note runs from May 1 - July 30 at six percent', MID_SENTENCE],
  ])('where a letter is required: %s', (_, outputText, summary) => {
    expect(cut({ inputText: MMLU_INPUT, outputText })).toBe(summary);
  });

  it('reads only the last line', () => {
    expect(
      cut({ inputText: MMLU_INPUT, outputText: 'Step 1: find the discount period from May 1 to the due date\n12. Compute' }),
    ).toBeNull();
    expect(cut({ inputText: MMLU_INPUT, outputText: 'The discount is $12 and the\nproceeds are $796 so the answer' })).toBe(MID_SENTENCE);
  });

  it('does not count a sentence broken off after the final answer was given', () => {
    expect(cut({ inputText: MMLU_INPUT, outputText: 'The answer is (B).\nHowever, we should also double-check the' })).toBeNull();
  });

  it.each([
    ['eight words ending in lower case', 'Try to go to bed at ten nightly', UNFINISHED_PROSE],
    ['seven words', 'Try to go to bed at night', null],
    ['seven words with a double space', 'Try to go to  bed at night', null],
    ['a finished sentence', 'Keep your bedroom cool, dark and quiet every single night.', null],
    ['a list line', '- Keep your bedroom cool and dark every single night', null],
    ['a dash inside the line', 'Keep the bedroom cool - around eighteen degrees at night', UNFINISHED_PROSE],
    ['a line that starts with a one-letter word', 'A cool and dark bedroom helps you fall asleep fast', UNFINISHED_PROSE],
    ['a list line "10."', '10. Keep your bedroom cool and dark every single night', null],
    ['code', 'for (let night = 0; night < 7; night++) sleep(night) until', null],
    ['a dangling word', 'Avoid screens for an hour before going to bed and', dangling('and')],
    ['a comma', 'Avoid caffeine after noon, alcohol, heavy meals,', openEnd(',')],
  ])('in open-ended text: %s', (_, outputText, summary) => {
    expect(cut({ inputText: OPEN_TASK, outputText })).toBe(summary);
  });

  it('leaves a finished open-ended answer alone, even with a reference answer', () => {
    expect(cut({ inputText: OPEN_TASK, outputText: 'Here are some tips for better sleep.' })).toBeNull();
    expect(
      cut({
        inputText: OPEN_TASK,
        correctAnswer: 'Keep a regular schedule.',
        outputText: 'Avoid screens for an hour before going to bed and',
      }),
    ).toBe(dangling('and'));
  });
});

describe('a last line that lists the prompt’s own words', () => {
  const SORT = 'Sort the following words alphabetically: List: which tonight an syndrome';
  it.each([
    ['the sorted words after a label', 'Answer: an syndrome tonight which', null],
    ['the sorted words after a label with no space', 'Answer:an syndrome tonight which', null],
    ['a word of its own after a label with no space', 'Answer:apple an tonight which', dangling('which')],
    ['three of four words from the prompt', 'Answer: an tonight which', null],
    ['four of five words from the prompt', 'an apple syndrome tonight which', null],
    ['three of five words from the prompt', 'an apple pear tonight which', dangling('which')],
    ['two words and a trailing comma', 'Answer: an, which,', null],
    ['one prompt word among bare commas', 'Answer: , , which', dangling('which')],
    ['a word with a colon inside the line', 'an tonight note: which', dangling('which')],
    ['the words with a trailing comma', 'an, syndrome, tonight, which,', null],
  ])('tells an answer list from a broken sentence: %s', (_, outputText, summary) => {
    expect(cut({ inputText: SORT, outputText })).toBe(summary);
  });

  it('does not flag a bracket sequence whose reference is brackets', () => {
    expect(
      cut({
        inputText: 'Complete the rest of the sequence: [ ( <',
        correctAnswer: ' > ) ]',
        outputText: 'The closing order is > ) ] for the',
      }),
    ).toBeNull();
  });
});

describe('medianOf', () => {
  it.each([
    [[2000], 2000],
    [[300, 100, 200], 200],
    [[400, 100, 300, 200], 250],
    [[1500, 90, 2100, 90], 795],
  ])('the median of %j is %d', (values, median) => {
    const before = [...values];
    expect(medianOf(values)).toBe(median);
    expect(values).toEqual(before);
  });
});
