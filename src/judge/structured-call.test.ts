import { describe, expect, it } from 'vitest';
import { toUsage, withSchemaInstructions } from './structured-call.js';

describe('toUsage', () => {
  it('reads tokens, and cache reads and writes only when there were some', () => {
    expect(toUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(toUsage({})).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(toUsage({ inputTokens: 10, outputTokens: 4, inputTokenDetails: {} })).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(toUsage({ inputTokens: 10, outputTokens: 4, inputTokenDetails: { cacheReadTokens: 0, cacheWriteTokens: 0 } })).toEqual({
      inputTokens: 10,
      outputTokens: 4,
    });
    expect(toUsage({ inputTokens: 10, outputTokens: 4, inputTokenDetails: { cacheReadTokens: 6, cacheWriteTokens: 2 } })).toEqual({
      inputTokens: 10,
      outputTokens: 4,
      cachedInputTokens: 6,
      cacheWriteTokens: 2,
    });
    expect(toUsage({ inputTokens: 1, outputTokens: 1, inputTokenDetails: { cacheWriteTokens: 1 } })).toEqual({
      inputTokens: 1,
      outputTokens: 1,
      cacheWriteTokens: 1,
    });
  });
});

describe('withSchemaInstructions', () => {
  it('keeps the system prompt first and adds the schema, pretty-printed, for servers without JSON-schema support', () => {
    const schema = { type: 'object' as const, required: ['a'] };
    const system = withSchemaInstructions('You analyse failures.', schema);
    expect(system.startsWith('You analyse failures.\n\nAnswer with one JSON object and nothing else')).toBe(true);
    expect(system.endsWith(`:\n${JSON.stringify(schema, null, 2)}`)).toBe(true);
  });
});
