import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaOf } from './create-judge.js';

describe('jsonSchemaOf', () => {
  it('leaves out length and range keywords that strict structured-output modes reject, keeping the shape', async () => {
    const schema = z.object({
      items: z.array(z.object({ name: z.string().min(1).max(40), format: z.string() })).min(1),
      id: z.number().int(),
    });
    const json = JSON.stringify(await jsonSchemaOf(schema));
    for (const keyword of ['minItems', 'minLength', 'maxLength', 'minimum', 'maximum']) expect(json).not.toContain(`"${keyword}"`);
    // A field that happens to be called like a keyword is kept.
    expect(json).toContain('"format":{"type":"string"}');
    expect(json).toContain('"required":["name","format"]');
    expect(json).toContain('"additionalProperties":false');
  });
});
