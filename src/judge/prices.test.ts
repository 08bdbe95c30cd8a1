import { describe, expect, it } from 'vitest';
import { batchCostOf, costOf, lookupPrice } from './prices.js';

describe('lookupPrice', () => {
  it('matches dated and vendor-prefixed ids to the longest listed name', () => {
    expect(lookupPrice('gpt-4o-mini-2024-07-18')).toEqual(lookupPrice('gpt-4o-mini'));
    expect(lookupPrice('gpt-4o-mini')).not.toEqual(lookupPrice('gpt-4o'));
    expect(lookupPrice('openai/gpt-4.1')).toEqual(lookupPrice('gpt-4.1'));
    expect(lookupPrice('claude-sonnet-4-20250514')).toEqual(lookupPrice('claude-sonnet-4'));
    expect(lookupPrice('claude-sonnet-4')).toMatchObject({ input: 3, output: 15 });
  });

  it('knows nothing about unlisted models, even when a listed name is a prefix', () => {
    expect(lookupPrice('llama3.1:8b')).toBeUndefined();
    expect(lookupPrice('gpt-4.10')).toBeUndefined();
  });
});

describe('costOf', () => {
  it('prices input and output tokens per million', () => {
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, { input: 2, output: 8 })).toBe(6);
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, undefined)).toBeUndefined();
  });
});

describe('costOf with a prompt cache', () => {
  it('bills cache reads and cache writes at their own rates, the rest at the input rate', () => {
    const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 600_000, cacheWriteTokens: 200_000 };
    expect(costOf(usage, price)).toBeCloseTo(0.2 * 3 + 0.6 * 0.3 + 0.2 * 3.75, 12);
    // Without cache rates, cached tokens cost what any input token costs.
    expect(costOf(usage, { input: 3, output: 15 })).toBeCloseTo(3, 12);
  });

  it('lists cache rates for models whose providers publish them', () => {
    expect(lookupPrice('gpt-4.1-mini')?.cachedInput).toBeLessThan(lookupPrice('gpt-4.1-mini')?.input ?? 0);
    expect(lookupPrice('claude-sonnet-4-5')?.cacheWrite).toBeGreaterThan(lookupPrice('claude-sonnet-4-5')?.input ?? 0);
  });
});

describe('batchCostOf', () => {
  it('bills half the list price by default and honours a price-specific discount', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000 };
    const price = lookupPrice('gpt-4o-mini');
    expect(batchCostOf(usage, price)).toBeCloseTo(costOf(usage, price)! / 2, 12);
    expect(batchCostOf(usage, { input: 2, output: 8, batchDiscount: 0.25 })).toBeCloseTo((2 + 0.8) * 0.25, 12);
    expect(batchCostOf(usage, undefined)).toBeUndefined();
  });
});
