import { describe, expect, it } from 'vitest';
import { dropTrailingCommas, extractJson } from './json-extract.js';

const value = { error_title: 'Off by one', criteria: ['a', 'b'], has_error: true };

function extracted(text: string): unknown {
  const r = extractJson(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('extractJson', () => {
  it('reads plain JSON', () => {
    expect(extracted(JSON.stringify(value))).toEqual(value);
  });

  it('reads JSON inside a code fence, with or without a language tag', () => {
    expect(extracted(`\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``)).toEqual(value);
    expect(extracted(`Sure:\n\`\`\`\n${JSON.stringify(value)}\n\`\`\`\nHope this helps.`)).toEqual(value);
  });

  it('skips leading prose and trailing remarks', () => {
    expect(extracted(`Here is the analysis you asked for: ${JSON.stringify(value)} Let me know.`)).toEqual(value);
  });

  it('skips a brace in the prose that does not start valid JSON', () => {
    expect(extracted(`The set {1, 2} is wrong. ${JSON.stringify(value)}`)).toEqual(value);
  });

  it('forgives trailing commas, but not inside strings', () => {
    expect(extracted('{"criteria": ["a", "b",], "has_error": true,}')).toEqual({ criteria: ['a', 'b'], has_error: true });
    expect(dropTrailingCommas('{"s": "x,}"}')).toBe('{"s": "x,}"}');
  });

  it('keeps braces and escaped quotes inside strings', () => {
    const tricky = { error_summary: 'Printed "}" then {"a": 1}', n: 1 };
    expect(extracted(`Answer: ${JSON.stringify(tricky)}`)).toEqual(tricky);
  });

  it('takes the first balanced object when two follow each other', () => {
    expect(extracted('{"a": 1}\n{"b": 2}')).toEqual({ a: 1 });
  });

  it('drops a <think> block before the answer', () => {
    expect(extracted(`<think>maybe {"a": 0}</think>\n${JSON.stringify(value)}`)).toEqual(value);
  });

  it('reports failure for text without JSON, for empty text and for a cut-off object', () => {
    expect(extractJson('The model was wrong because it guessed.').ok).toBe(false);
    expect(extractJson('   ').ok).toBe(false);
    expect(extractJson('{"error_title": "Off by').ok).toBe(false);
  });
});
