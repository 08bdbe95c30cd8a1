import type {
  JSONSchema7,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3Usage,
  SharedV3ProviderOptions,
} from '@ai-sdk/provider';
import type { Usage } from './judge.js';

/** A chat model of a provider package (the AI SDK's language-model interface). */
export type ChatModel = LanguageModelV3;

/** The conversation after the system prompt: the first user message, then any re-asks. */
export type ChatMessage = LanguageModelV3Message;

export interface ModelCall {
  system: string;
  messages: ChatMessage[];
  /** Structured outputs: the JSON schema the provider is asked to hold the answer to, named after the task. */
  schema?: { jsonSchema: JSONSchema7; name: string };
  temperature?: number;
  maxOutputTokens?: number;
  providerOptions?: SharedV3ProviderOptions;
  abortSignal?: AbortSignal;
}

/**
 * What a judge call hands the provider package, which builds the HTTP request from it. errormap calls
 * the package's model directly rather than through `generateText`: that helper re-validates the whole
 * prompt with zod and wraps every call in telemetry spans, about a tenth of errormap's CPU per call, and
 * errormap already validates each answer itself and runs its own retries.
 */
function modelCallOptions(call: ModelCall): LanguageModelV3CallOptions {
  return {
    prompt: [{ role: 'system', content: call.system }, ...call.messages],
    responseFormat: call.schema ? { type: 'json', schema: call.schema.jsonSchema, name: call.schema.name } : undefined,
    temperature: call.temperature,
    maxOutputTokens: call.maxOutputTokens,
    providerOptions: call.providerOptions,
    abortSignal: call.abortSignal,
  };
}

/** A user or assistant turn of plain text. */
export function textMessage(role: 'user' | 'assistant', text: string): ChatMessage {
  return { role, content: [{ type: 'text', text }] };
}

/** Sends one call; the answer's text parts (reasoning and tool calls left out) and its usage. */
export async function generateAnswer(model: ChatModel, call: ModelCall): Promise<{ text: string; usage: Usage }> {
  const result = await model.doGenerate(modelCallOptions(call));
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { text, usage: toUsage(result.usage) };
}

/** The provider's usage (OpenAI cached_tokens, Anthropic cache_read/cache_creation_input_tokens) in errormap's shape. */
export function toUsage(u: LanguageModelV3Usage | undefined): Usage {
  const usage: Usage = { inputTokens: u?.inputTokens.total ?? 0, outputTokens: u?.outputTokens.total ?? 0 };
  const cached = u?.inputTokens.cacheRead ?? 0;
  const written = u?.inputTokens.cacheWrite ?? 0;
  if (cached > 0) usage.cachedInputTokens = cached;
  if (written > 0) usage.cacheWriteTokens = written;
  return usage;
}
