import { ErrormapError } from '../errors.js';
import { parseJudgeSpec } from './judge-spec.js';
import { type Env, PROVIDERS, resolveProvider } from './provider-registry.js';
import { redactSecrets } from './retry-policy.js';

export interface EmbedderOptions {
  /** `provider:model`, as given to --embedder. */
  spec: string;
  baseUrl?: string;
  apiKey?: string;
  env?: Env;
  /** Retries of the SDK on 429, 5xx and connection errors (default 4). */
  maxRetries?: number;
}

export interface Embedder {
  readonly id: string;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

/**
 * An embedding model behind `provider:model`, through the same provider registry and keys as the judge
 * (the AI SDK's embedMany). Fails at once (JUDGE_UNAVAILABLE) for a provider without embeddings.
 */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const spec = parseJudgeSpec(options.spec);
  const env = options.env ?? process.env;
  const resolved = resolveProvider(spec, { baseUrl: options.baseUrl, apiKey: options.apiKey, env });
  const create = resolved.entry.createEmbedding;
  if (!create) {
    const able = PROVIDERS.filter((p) => p.createEmbedding).map((p) => p.name);
    throw new ErrormapError(
      'JUDGE_UNAVAILABLE',
      `${resolved.entry.name} has no embedding model here; --embedder takes one of: ${able.join(', ')}`,
    );
  }
  const model = create({
    providerName: resolved.entry.name,
    model: resolved.model,
    baseUrl: resolved.baseUrl,
    apiKey: resolved.apiKey,
    structuredOutputs: true,
    env,
  });
  const id = options.spec.trim();
  return {
    id,
    async embed(texts) {
      // The AI SDK's core is loaded here, not at start: only --embedder needs it.
      const { embedMany } = await import('ai');
      try {
        const { embeddings } = await embedMany({ model: await model, values: texts, maxRetries: options.maxRetries ?? 4 });
        return embeddings;
      } catch (e) {
        throw new ErrormapError('JUDGE_UNAVAILABLE', redactSecrets(`embedder ${id}: ${(e as Error).message}`, [resolved.apiKey]));
      }
    },
  };
}
