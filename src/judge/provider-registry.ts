import type { EmbeddingModel } from 'ai';
import { ConfigError, ErrormapError } from '../errors.js';
import type { JudgeSpec } from './judge-spec.js';
import type { ChatModel } from './model-call.js';
import { nearestName } from './nearest-name.js';
import type { ReasoningStyle } from './reasoning.js';

export type Env = Record<string, string | undefined>;

/** What a provider's factory needs to build one language model. */
export interface ModelSettings {
  /** The registry name (for openai-compatible servers, the name shown in the SDK's errors). */
  providerName: string;
  model: string;
  baseUrl?: string;
  apiKey?: string;
  /** Send the JSON schema as response_format (true) or only ask for JSON in the prompt (false). */
  structuredOutputs: boolean;
  env: Env;
}

/**
 * 'cache-key': OpenAI's prompt_cache_key, one per shared prefix, so requests sharing it reach the same cache;
 * 'breakpoint': Anthropic's cache_control breakpoint at the end of the shared prefix.
 */
export type PromptCacheStyle = 'cache-key' | 'breakpoint';

export interface ProviderEntry {
  name: string;
  aliases: string[];
  /** Preset base URL (the local-server aliases); `--base-url` overrides it. */
  defaultBaseUrl?: string;
  /** Environment variables tried in order for the key. */
  keyEnv: string[];
  /** Hosted providers need a key; local servers usually do not. */
  keyRequired: boolean;
  /** The provider cannot work without a base URL (openai-compatible). */
  baseUrlRequired?: boolean;
  /** How the provider is told which prompt prefix to cache (none: it caches automatically, or not at all). */
  promptCache?: PromptCacheStyle;
  /** How `--reasoning` reaches this provider. */
  reasoning: ReasoningStyle;
  /** Loads the provider package only when the judge is first used. */
  create(settings: ModelSettings): Promise<ChatModel>;
  /** The provider's embedding model (`--embedder`), where it has one. */
  createEmbedding?(settings: ModelSettings): Promise<EmbeddingModel>;
}

async function createCompatible(s: ModelSettings): Promise<ChatModel> {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const provider = createOpenAICompatible({
    name: s.providerName,
    baseURL: s.baseUrl ?? '',
    apiKey: s.apiKey,
    // Without this flag the SDK sends only { type: 'json_object' } and the schema never reaches the model.
    supportsStructuredOutputs: s.structuredOutputs,
  });
  return provider.chatModel(s.model);
}

async function createCompatibleEmbedding(s: ModelSettings): Promise<EmbeddingModel> {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  return createOpenAICompatible({ name: s.providerName, baseURL: s.baseUrl ?? '', apiKey: s.apiKey }).embeddingModel(s.model);
}

const COMPATIBLE_KEYS = ['OPENAI_COMPATIBLE_API_KEY', 'OPENAI_API_KEY'];

function localServer(name: string, defaultBaseUrl: string): ProviderEntry {
  return {
    name,
    aliases: [],
    defaultBaseUrl,
    keyEnv: COMPATIBLE_KEYS,
    keyRequired: false,
    reasoning: 'compatible',
    create: createCompatible,
    createEmbedding: createCompatibleEmbedding,
  };
}

/** The providers `--judge` accepts. Add a provider by adding an entry. */
export const PROVIDERS: readonly ProviderEntry[] = [
  {
    name: 'openai',
    aliases: [],
    keyEnv: ['OPENAI_API_KEY'],
    keyRequired: true,
    promptCache: 'cache-key',
    reasoning: 'openai',
    async create(s) {
      const { createOpenAI } = await import('@ai-sdk/openai');
      // Chat Completions rather than Responses: same json_schema support, and proxies behind --base-url speak it.
      return createOpenAI({ apiKey: s.apiKey, baseURL: s.baseUrl }).chat(s.model);
    },
    async createEmbedding(s) {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ apiKey: s.apiKey, baseURL: s.baseUrl }).embeddingModel(s.model);
    },
  },
  {
    name: 'anthropic',
    aliases: ['claude'],
    keyEnv: ['ANTHROPIC_API_KEY'],
    keyRequired: true,
    promptCache: 'breakpoint',
    reasoning: 'anthropic',
    async create(s) {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey: s.apiKey, baseURL: s.baseUrl })(s.model);
    },
  },
  {
    name: 'google',
    aliases: ['gemini'],
    keyEnv: ['GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY'],
    keyRequired: true,
    reasoning: 'google',
    async create(s) {
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({ apiKey: s.apiKey, baseURL: s.baseUrl })(s.model);
    },
    async createEmbedding(s) {
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({ apiKey: s.apiKey, baseURL: s.baseUrl }).embeddingModel(s.model);
    },
  },
  {
    name: 'azure',
    aliases: [],
    keyEnv: ['AZURE_API_KEY'],
    keyRequired: true,
    reasoning: 'openai',
    async create(s) {
      const { createAzure } = await import('@ai-sdk/azure');
      // The model part of the spec is the Azure deployment name.
      return createAzure({ apiKey: s.apiKey, baseURL: s.baseUrl, resourceName: s.baseUrl ? undefined : s.env.AZURE_RESOURCE_NAME }).chat(
        s.model,
      );
    },
    async createEmbedding(s) {
      const { createAzure } = await import('@ai-sdk/azure');
      return createAzure({
        apiKey: s.apiKey,
        baseURL: s.baseUrl,
        resourceName: s.baseUrl ? undefined : s.env.AZURE_RESOURCE_NAME,
      }).embeddingModel(s.model);
    },
  },
  {
    name: 'openai-compatible',
    aliases: ['compatible'],
    keyEnv: COMPATIBLE_KEYS,
    keyRequired: false,
    baseUrlRequired: true,
    reasoning: 'compatible',
    create: createCompatible,
    createEmbedding: createCompatibleEmbedding,
  },
  localServer('vllm', 'http://localhost:8000/v1'),
  localServer('ollama', 'http://localhost:11434/v1'),
  localServer('llamacpp', 'http://localhost:8080/v1'),
  localServer('lmstudio', 'http://localhost:1234/v1'),
  {
    name: 'openrouter',
    aliases: [],
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: ['OPENROUTER_API_KEY'],
    keyRequired: true,
    reasoning: 'compatible',
    create: createCompatible,
    createEmbedding: createCompatibleEmbedding,
  },
];

export function findProvider(name: string): ProviderEntry | undefined {
  const wanted = name.toLowerCase();
  return PROVIDERS.find((p) => p.name === wanted || p.aliases.includes(wanted));
}

/** The provider a spec names, or a configuration error that suggests the nearest name and lists them all. */
export function requireProvider(name: string): ProviderEntry {
  const entry = findProvider(name);
  if (entry) return entry;
  const nearest = nearestName(
    name,
    PROVIDERS.flatMap((p) => [p.name, ...p.aliases]),
  );
  const known = PROVIDERS.map((p) => p.name).join(', ');
  throw new ConfigError(`--judge: unknown provider "${name}"${nearest ? ` (did you mean ${nearest}?)` : ''}; providers: ${known}`);
}

/** A provider entry with its key and base URL settled; building the model is still deferred. */
export interface ResolvedProvider {
  entry: ProviderEntry;
  model: string;
  baseUrl?: string;
  apiKey?: string;
}

function unavailable(message: string): ErrormapError {
  return new ErrormapError('JUDGE_UNAVAILABLE', message);
}

/**
 * Settles provider, base URL and key for a parsed spec. Throws CONFIG_INVALID for a wrong spec and
 * JUDGE_UNAVAILABLE for a missing key, naming what to set.
 * The key itself never appears in a message.
 */
export function resolveProvider(spec: JudgeSpec, options: { baseUrl?: string; apiKey?: string; env: Env }): ResolvedProvider {
  const entry = requireProvider(spec.provider);
  const baseUrl = options.baseUrl?.trim() || entry.defaultBaseUrl;
  if (entry.baseUrlRequired && !baseUrl) {
    throw new ConfigError(`${entry.name} needs a server address: pass --base-url (for example http://localhost:8000/v1)`);
  }
  const fromEnv = entry.keyEnv.map((name) => options.env[name]?.trim()).find((v) => v);
  const apiKey = options.apiKey?.trim() || fromEnv || undefined;
  if (entry.keyRequired && !apiKey) {
    const vars = entry.keyEnv.join(' or ');
    throw unavailable(`no API key for judge ${entry.name}:${spec.model}: set ${vars} in the environment`);
  }
  if (entry.name === 'azure' && !baseUrl && !options.env.AZURE_RESOURCE_NAME?.trim()) {
    throw new ConfigError(`judge azure:${spec.model} needs AZURE_RESOURCE_NAME in the environment or --base-url`);
  }
  return { entry, model: spec.model, baseUrl, apiKey };
}
