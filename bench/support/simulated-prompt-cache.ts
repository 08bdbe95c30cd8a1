import { createHash } from 'node:crypto';

/**
 * A provider's automatic prompt cache, simulated the way OpenAI documents its own: a prompt prefix of
 * at least 1,024 tokens, in steps of 128 tokens, is billed as cached when an earlier request started
 * with the same prefix. Tokens are counted as 4 characters, like the scripted server's usage.
 * A prefix counts as cached from the moment an earlier request carrying it arrived: providers write
 * the cache during prefill, a small part of a call's latency.
 */
export class SimulatedPromptCache {
  private readonly seen = new Set<string>();

  constructor(
    private readonly minTokens = 1024,
    private readonly stepTokens = 128,
    private readonly charsPerToken = 4,
  ) {}

  /** Prompt tokens of `prompt` an earlier prompt had already put in the cache; remembers this prompt's prefixes. */
  lookup(prompt: string): number {
    const step = this.stepTokens * this.charsPerToken;
    const hash = createHash('sha256');
    let hashedTo = 0;
    let cachedChars = 0;
    for (let end = this.minTokens * this.charsPerToken; end <= prompt.length; end += step) {
      hash.update(prompt.slice(hashedTo, end));
      hashedTo = end;
      const key = hash.copy().digest('base64');
      if (this.seen.has(key)) cachedChars = end;
      else this.seen.add(key);
    }
    return cachedChars / this.charsPerToken;
  }
}
