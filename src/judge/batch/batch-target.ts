import { ConfigError } from '../../errors.js';
import { type JudgeOptions, judgeParameters } from '../create-judge.js';
import { parseJudgeSpec } from '../judge-spec.js';
import type { ChatModel } from '../model-call.js';
import { lookupPrice, type Price } from '../prices.js';
import { type Env, resolveProvider } from '../provider-registry.js';

/** The providers with a batch API here: the OpenAI Files + Batches API, and Anthropic's Message Batches. */
const BATCH_PROVIDERS = ['openai', 'azure', 'openai-compatible', 'anthropic'] as const;
export type BatchProvider = (typeof BATCH_PROVIDERS)[number];

/** Everything batch mode needs to know about the judge: the same identity `createJudge` derives. */
export interface BatchTarget {
  /** `provider:model`, as the judge's id (what the cache records as `judge`). */
  judgeId: string;
  provider: BatchProvider;
  model: string;
  parameters: ReturnType<typeof judgeParameters>;
  baseUrl?: string;
  apiKey?: string;
  env: Env;
  price?: Price;
  /** Builds the same AI SDK chat model the judge uses, with our fetch (to capture request bodies). */
  chatModel(fetch: typeof globalThis.fetch): Promise<ChatModel>;
}

/** Settles the judge's provider for batch mode; other providers get a ConfigError naming what works. */
export function resolveBatchTarget(options: JudgeOptions): BatchTarget {
  const spec = parseJudgeSpec(options.spec);
  const env = options.env ?? process.env;
  const resolved = resolveProvider(spec, { baseUrl: options.baseUrl, apiKey: options.apiKey, env });
  const provider = resolved.entry.name;
  if (!(BATCH_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ConfigError(
      `--batch works with these providers' batch APIs only (${BATCH_PROVIDERS.join(', ')}); judge provider "${provider}" has none here. Run without --batch.`,
    );
  }
  const parameters = judgeParameters(options);
  const { model, baseUrl, apiKey } = resolved;
  // Mirrors the provider registry's factories, plus a fetch: the body the SDK would send is the batch line.
  async function chatModel(fetch: typeof globalThis.fetch): Promise<ChatModel> {
    if (provider === 'openai') {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ apiKey, baseURL: baseUrl, fetch }).chat(model);
    }
    if (provider === 'anthropic') {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey, baseURL: baseUrl, fetch })(model);
    }
    if (provider === 'azure') {
      const { createAzure } = await import('@ai-sdk/azure');
      return createAzure({ apiKey, baseURL: baseUrl, resourceName: baseUrl ? undefined : env.AZURE_RESOURCE_NAME, fetch }).chat(model);
    }
    const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
    return createOpenAICompatible({
      name: provider,
      baseURL: baseUrl ?? '',
      apiKey,
      supportsStructuredOutputs: parameters.structuredOutputs,
      fetch,
    }).chatModel(model);
  }
  return {
    judgeId: options.spec.trim(),
    provider: provider as BatchProvider,
    model,
    parameters,
    baseUrl,
    apiKey,
    env,
    price: options.price ?? lookupPrice(model),
    chatModel,
  };
}
