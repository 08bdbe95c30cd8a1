import { createHash } from 'node:crypto';
import { type ChatMessage, textMessage } from './model-call.js';
import type { PromptCacheStyle } from './provider-registry.js';

/**
 * The first user message of a call, with the provider's prompt-cache hint: for Anthropic, the shared
 * prefix as its own text part carrying a cache_control breakpoint; otherwise the plain text.
 * The words sent are the same either way.
 */
export function firstUserMessage(user: string, cacheablePrefix: number | undefined, style: PromptCacheStyle | undefined): ChatMessage {
  if (style !== 'breakpoint' || !cacheablePrefix || cacheablePrefix >= user.length) return textMessage('user', user);
  return {
    role: 'user',
    content: [
      { type: 'text', text: user.slice(0, cacheablePrefix), providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
      { type: 'text', text: user.slice(cacheablePrefix) },
    ],
  };
}

/**
 * Provider options of a call: for OpenAI, a prompt_cache_key naming the shared prefix (system prompt
 * and the shared start of the user prompt), so every request that shares it is routed to one cache.
 */
export function promptCacheOptions(
  system: string,
  user: string,
  cacheablePrefix: number | undefined,
  style: PromptCacheStyle | undefined,
): { openai: { promptCacheKey: string } } | undefined {
  if (style !== 'cache-key' || !cacheablePrefix) return undefined;
  const key = createHash('sha256').update(system).update('\u0000').update(user.slice(0, cacheablePrefix)).digest('hex').slice(0, 32);
  return { openai: { promptCacheKey: `errormap-${key}` } };
}
