import type { Usage } from './judge.js';

/** USD per one million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Prompt tokens read from the provider's cache; default: the input rate. */
  cachedInput?: number;
  /** Prompt tokens written to the provider's cache (Anthropic); default: the input rate. */
  cacheWrite?: number;
  /** Share of the list price a batch-API call costs (OpenAI, Azure and Anthropic batches: 0.5). Default BATCH_DISCOUNT. */
  batchDiscount?: number;
}

/** The providers' batch APIs bill half the standard price (published 2025 terms). */
export const BATCH_DISCOUNT = 0.5;

/**
 * List prices of common judge models, USD per 1M tokens, standard tier. Table written 2026-11-28
 * from the providers' published 2025 list prices (not re-checked online: no network here); cached
 * prompt tokens at the providers' published cache rates (OpenAI 10–50% of input by model family,
 * Anthropic reads 10% and 5-minute writes 125%, Gemini 25%). Prices change: pass `price` to override.
 */
export const PRICES_WRITTEN = '2026-11-28';
const PRICES: Record<string, Price> = {
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-5-sonnet': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.3125 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
};

/**
 * The listed price of a model id, matched by the longest listed name that prefixes it at a word
 * boundary ("gpt-4o-mini-2024-07-18" → gpt-4o-mini; "openai/gpt-4.1" → gpt-4.1). Undefined when unknown.
 */
export function lookupPrice(model: string): Price | undefined {
  const id = model.toLowerCase().split('/').pop() ?? '';
  let best: string | undefined;
  for (const name of Object.keys(PRICES)) {
    if (!id.startsWith(name)) continue;
    const next = id[name.length];
    if (next !== undefined && next !== '-' && next !== ':' && next !== '@') continue;
    if (!best || name.length > best.length) best = name;
  }
  return best ? PRICES[best] : undefined;
}

/** Cost in USD: uncached, cache-read and cache-write prompt tokens each at their own rate, plus output. */
export function costOf(usage: Usage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cached - written);
  const input = uncached * price.input + cached * (price.cachedInput ?? price.input) + written * (price.cacheWrite ?? price.input);
  return (input + usage.outputTokens * price.output) / 1_000_000;
}

/** Cost of a call answered through a provider's batch API: the list price times the batch discount. */
export function batchCostOf(usage: Usage, price: Price | undefined): number | undefined {
  const cost = costOf(usage, price);
  return cost === undefined ? undefined : cost * (price?.batchDiscount ?? BATCH_DISCOUNT);
}
