import { describe, expect, it } from 'vitest';
import { firstUserMessage, promptCacheOptions } from './prompt-cache-hints.js';

describe('prompt-cache hints', () => {
  const user = 'shared input and references | failing output';
  const prefix = user.indexOf('|');

  it('puts an Anthropic cache_control breakpoint after the shared prefix, sending the same words', () => {
    const message = firstUserMessage(user, prefix, 'breakpoint');
    const parts = message.content as { text: string; providerOptions?: unknown }[];
    expect(parts.map((p) => p.text).join('')).toBe(user);
    expect(parts[0].providerOptions).toEqual({ anthropic: { cacheControl: { type: 'ephemeral' } } });
    expect(parts[1].providerOptions).toBeUndefined();
    expect(firstUserMessage(user, prefix, undefined)).toEqual({ role: 'user', content: [{ type: 'text', text: user }] });
    expect(firstUserMessage(user, undefined, 'breakpoint')).toEqual({ role: 'user', content: [{ type: 'text', text: user }] });
  });

  it('names the shared prefix with one OpenAI prompt_cache_key per prefix', () => {
    const key = (u: string) => promptCacheOptions('system', u, u.indexOf('|'), 'cache-key')?.openai.promptCacheKey;
    expect(key(user)).toBe(key('shared input and references | another output'));
    expect(key(user)).not.toBe(key('other example | failing output'));
    expect(promptCacheOptions('system', user, prefix, 'breakpoint')).toBeUndefined();
    expect(promptCacheOptions('system', user, undefined, 'cache-key')).toBeUndefined();
  });
});
