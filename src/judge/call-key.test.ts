import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CallKeyInput, callCacheKey, canonicalJson } from './call-key.js';

const base: CallKeyInput = {
  provider: 'openai',
  model: 'gpt-4.1-mini',
  task: 'error_analysis',
  parameters: { temperature: 0, structuredOutputs: true },
  system: 'You analyse failures.',
  user: 'Question: 2+2?',
  schema: { type: 'object', properties: { error_title: { type: 'string' } }, required: ['error_title'] },
};

describe('callCacheKey', () => {
  it('hashes the canonical JSON of the whole call, so keys written by earlier versions still match', () => {
    const payload = {
      provider: base.provider,
      model: base.model,
      task: base.task,
      parameters: base.parameters,
      messages: [
        { role: 'system', content: base.system },
        { role: 'user', content: base.user },
      ],
      schema: base.schema,
    };
    const expected = createHash('sha256').update(canonicalJson(payload)).digest('hex');
    expect(callCacheKey(base)).toBe(expected);
    expect(callCacheKey(base)).toBe(expected);
  });

  it('is a sha256 hex digest that does not depend on key order', () => {
    const key = callCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered = {
      ...base,
      parameters: { structuredOutputs: true, temperature: 0 },
      schema: { required: ['error_title'], properties: { error_title: { type: 'string' } }, type: 'object' },
    };
    expect(callCacheKey(reordered)).toBe(key);
  });

  it('changes when the model, a prompt, the schema, a parameter or the task changes', () => {
    const key = callCacheKey(base);
    const variants: CallKeyInput[] = [
      { ...base, model: 'gpt-4.1' },
      { ...base, provider: 'azure' },
      { ...base, system: `${base.system} ` },
      { ...base, user: 'Question: 2+3?' },
      { ...base, schema: { ...(base.schema as object), required: [] } },
      { ...base, parameters: { temperature: 0.2, structuredOutputs: true } },
      { ...base, parameters: { temperature: 0, structuredOutputs: false } },
      { ...base, task: 'analysis_check' },
    ];
    const keys = new Set(variants.map(callCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });

  it('does not let system and user text run into each other', () => {
    expect(callCacheKey({ ...base, system: 'ab', user: 'c' })).not.toBe(callCacheKey({ ...base, system: 'a', user: 'bc' }));
  });
});

describe('canonicalJson', () => {
  it('sorts nested keys, keeps array order and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });
});
