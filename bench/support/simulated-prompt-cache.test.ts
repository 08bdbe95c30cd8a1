import { describe, expect, it } from 'vitest';
import { SimulatedPromptCache } from './simulated-prompt-cache.js';

describe('SimulatedPromptCache', () => {
  const shared = 'x'.repeat(4096 + 512 * 3);

  it('bills nothing for a first prompt or one shorter than the minimum', () => {
    const cache = new SimulatedPromptCache();
    expect(cache.lookup(`${shared}first`)).toBe(0);
    cache.remember('short');
    expect(cache.lookup('short')).toBe(0);
  });

  it('bills a shared prefix only once the request that carried it was answered', () => {
    const cache = new SimulatedPromptCache();
    expect(cache.lookup(`${shared}A`)).toBe(0);
    // Sent side by side with the first: nothing is cached yet.
    expect(cache.lookup(`${shared}B`)).toBe(0);
    cache.remember(`${shared}A`);
    expect(cache.lookup(`${shared}C`)).toBe(1408);
  });

  it('counts shared blocks of any length when built without a minimum (a vLLM-style cache)', () => {
    const cache = new SimulatedPromptCache(0, 16);
    cache.remember(`${'z'.repeat(200)}A`);
    expect(cache.lookup(`${'z'.repeat(200)}B`)).toBe(48);
  });

  it('bills the longest shared prefix, in 128-token steps from 1,024 tokens', () => {
    const cache = new SimulatedPromptCache();
    cache.remember(`${shared}A${'a'.repeat(2000)}`);
    // Shared: 4096 + 1536 characters = 1,408 tokens; the next step (1,536 tokens) differs.
    expect(cache.lookup(`${shared}B${'b'.repeat(2000)}`)).toBe(1408);
    expect(cache.lookup(`y${shared}`)).toBe(0);
  });
});
