import { describe, expect, it } from 'vitest';
import { PROVIDERS } from './provider-registry.js';

describe('PROVIDERS', () => {
  it('builds a model for every provider (package loaded on demand, no request sent)', async () => {
    for (const entry of PROVIDERS) {
      const model = await entry.create({
        providerName: entry.name,
        model: 'some-model',
        baseUrl: entry.defaultBaseUrl ?? 'http://127.0.0.1:9/v1',
        apiKey: 'not-used',
        structuredOutputs: true,
        env: {},
      });
      expect(typeof model === 'object' && model.modelId).toBe('some-model');
    }
  });

  it('has unique names and aliases', () => {
    const names = PROVIDERS.flatMap((p) => [p.name, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});
