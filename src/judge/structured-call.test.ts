import { describe, expect, it } from 'vitest';
import { withSchemaInstructions } from './structured-call.js';

describe('withSchemaInstructions', () => {
  it('keeps the system prompt first and adds the schema, pretty-printed, for servers without JSON-schema support', () => {
    const schema = { type: 'object' as const, required: ['a'] };
    const system = withSchemaInstructions('You analyse failures.', schema);
    expect(system.startsWith('You analyse failures.\n\nAnswer with one JSON object and nothing else')).toBe(true);
    expect(system.endsWith(`:\n${JSON.stringify(schema, null, 2)}`)).toBe(true);
  });
});
