import { createHash } from 'node:crypto';

/**
 * A provider's automatic prompt cache, simulated the way OpenAI documents its own: a prompt prefix of
 * at least 1,024 tokens, in steps of 128 tokens, is billed as cached when an earlier request started
 * with the same prefix. Tokens are counted as 4 characters, like the scripted server's usage.
 * A request's prefixes enter the cache when it is answered (`remember`), not when it arrives: Anthropic
 * documents that an entry is usable once the first response begins, and requests sent side by side
 * with the same prefix each pay for it in full.
 */
export class SimulatedPromptCache {
  private readonly seen = new Set<string>();

  constructor(
    private readonly minTokens = 1024,
    private readonly stepTokens = 128,
    private readonly charsPerToken = 4,
  ) {}

  /** Prompt tokens of `prompt` that answered requests have put in the cache. */
  lookup(prompt: string): number {
    let cachedChars = 0;
    for (const { end, key } of this.prefixes(prompt)) if (this.seen.has(key)) cachedChars = end;
    return cachedChars / this.charsPerToken;
  }

  /** Puts the prefixes of an answered request's prompt in the cache. */
  remember(prompt: string): void {
    for (const { key } of this.prefixes(prompt)) this.seen.add(key);
  }

  private *prefixes(prompt: string): Generator<{ end: number; key: string }> {
    const step = this.stepTokens * this.charsPerToken;
    const hash = createHash('sha256');
    let hashedTo = 0;
    for (let end = this.minTokens * this.charsPerToken; end <= prompt.length; end += step) {
      hash.update(prompt.slice(hashedTo, end));
      hashedTo = end;
      yield { end, key: hash.copy().digest('base64') };
    }
  }
}
