import type { JSONSchema7, JSONValue } from '@ai-sdk/provider';
import { z } from 'zod';
import { extractJson } from './json-extract.js';
import { JudgeCallError, type JudgeTask, type Usage } from './judge.js';
import { type ChatMessage, type ChatModel, generateAnswer, textMessage } from './model-call.js';
import { costOf, type Price } from './prices.js';
import { firstUserMessage, promptCacheOptions } from './prompt-cache-hints.js';
import type { PromptCacheStyle } from './provider-registry.js';
import { backoffDelay, CallTimeoutError, classifyFailure, redactKnownSecrets, redactSecrets } from './retry-policy.js';
import type { UsageMeter } from './usage-meter.js';

/** Settings shared by every call of one judge. */
export interface CallSettings {
  model: () => Promise<ChatModel>;
  structuredOutputs: boolean;
  temperature?: number;
  maxOutputTokens?: number;
  timeoutMs: number;
  maxRetries: number;
  maxReasks: number;
  price?: Price;
  meter: UsageMeter;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Strings that must never reach an error message (the API key). */
  secrets: (string | undefined)[];
  /** Provider-specific options (the reasoning effort). */
  providerOptions?: Record<string, Record<string, JSONValue>>;
  /** Canonical provider name, for error messages. */
  provider: string;
  /**
   * Shared by every call of one judge: once a call finds the judge unavailable (rejected key, unknown
   * model, unreachable server), the others fail with the same error without sending anything.
   */
  halt: { error?: JudgeCallError };
  /** How this provider is told which prompt prefix to cache. */
  promptCache?: PromptCacheStyle;
}

export interface StructuredRequest<T> {
  task: JudgeTask;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  jsonSchema: JSONSchema7;
  /** See JudgeRequest.cacheablePrefix. */
  cacheablePrefix?: number;
}

export interface StructuredAnswer<T> {
  value: T;
  /** The JSON that validated (what the call cache stores). */
  json: unknown;
  /** Tokens of every request this call sent, re-asks included. */
  usage: Usage;
  costUsd?: number;
}

interface RawReply {
  text: string;
  usage: Usage;
}

function addUsage(total: Usage, more: Usage): void {
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  if (more.cachedInputTokens) total.cachedInputTokens = (total.cachedInputTokens ?? 0) + more.cachedInputTokens;
  if (more.cacheWriteTokens) total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + more.cacheWriteTokens;
}

/** The system prompt for servers without JSON-schema support: the schema travels in the prompt. */
export function withSchemaInstructions(system: string, schema: JSONSchema7): string {
  return `${system}\n\nAnswer with one JSON object and nothing else (no prose, no code fence). It must match this JSON schema:\n${JSON.stringify(schema, null, 2)}`;
}

function reaskMessage(problem: string): string {
  return `Your previous answer could not be used: ${problem}\nAnswer again with only the corrected JSON object, matching the required schema exactly.`;
}

function clip(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Checks one raw answer: JSON (tolerantly extracted) that the schema accepts, or the problem to tell the model. */
function checkAnswer<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T; json: unknown } | { ok: false; problem: string } {
  const extracted = extractJson(text);
  if (!extracted.ok) return { ok: false, problem: `it is not valid JSON (${extracted.error})` };
  const parsed = schema.safeParse(extracted.value);
  if (!parsed.success) return { ok: false, problem: `it does not match the schema:\n${clip(z.prettifyError(parsed.error))}` };
  return { ok: true, value: parsed.data, json: extracted.value };
}

/** One HTTP request with our own timeout; the provider package never retries, so the retries are ours. */
async function sendOnce(
  settings: CallSettings,
  request: StructuredRequest<unknown>,
  system: string,
  messages: ChatMessage[],
): Promise<RawReply> {
  const model = await settings.model();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CallTimeoutError(settings.timeoutMs)), settings.timeoutMs);
  try {
    return await generateAnswer(model, {
      system,
      messages,
      // Schema only: we validate with zod ourselves, to re-ask with zod's message.
      schema: settings.structuredOutputs ? { jsonSchema: request.jsonSchema, name: request.task } : undefined,
      providerOptions: mergeProviderOptions(
        settings.providerOptions,
        promptCacheOptions(system, request.user, request.cacheablePrefix, settings.promptCache),
      ),
      temperature: settings.temperature,
      maxOutputTokens: settings.maxOutputTokens,
      abortSignal: controller.signal,
    });
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof CallTimeoutError) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Sends with retries on 429, 5xx, timeouts and dropped connections, honouring Retry-After; an unavailable judge halts every call. */
async function sendWithRetries(
  settings: CallSettings,
  request: StructuredRequest<unknown>,
  system: string,
  messages: ChatMessage[],
): Promise<RawReply> {
  for (let retry = 0; ; retry++) {
    if (settings.halt.error) throw settings.halt.error;
    settings.meter.requestSent(request.task);
    if (retry > 0) settings.meter.retried(request.task);
    try {
      const reply = await settings.meter.awaitingAnswer(sendOnce(settings, request, system, messages));
      settings.meter.tokensUsed(request.task, reply.usage, costOf(reply.usage, settings.price));
      // A server that echoes the key into its answer must not get it into the cache or the files.
      return { ...reply, text: redactKnownSecrets(reply.text, settings.secrets) };
    } catch (error) {
      const verdict = classifyFailure(error);
      if (!verdict.retryable || retry >= settings.maxRetries) {
        const attempts = retry + 1;
        const reason = `${verdict.reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`;
        const failure = new JudgeCallError({
          task: request.task,
          reason: redactSecrets(reason, settings.secrets),
          unavailable: verdict.unavailable,
          status: verdict.status,
          provider: settings.provider,
          url: verdict.url && redactSecrets(verdict.url, settings.secrets),
        });
        if (failure.unavailable) settings.halt.error ??= failure;
        throw failure;
      }
      await settings.sleep(backoffDelay(retry, settings.random, verdict.retryAfterMs));
    }
  }
}

/**
 * One judge call: send, validate with zod, and re-ask with the validation problem (the previous
 * answer stays in the conversation) up to `maxReasks` times. Throws JudgeCallError when exhausted.
 */
export async function runStructuredCall<T>(settings: CallSettings, request: StructuredRequest<T>): Promise<StructuredAnswer<T>> {
  const system = settings.structuredOutputs ? request.system : withSchemaInstructions(request.system, request.jsonSchema);
  const messages: ChatMessage[] = [firstUserMessage(request.user, request.cacheablePrefix, settings.promptCache)];
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  // Stryker disable next-line StringLiteral: every ask sets it before it is read (maxReasks ≥ 0)
  let problem = '';
  for (let ask = 0; ask <= settings.maxReasks; ask++) {
    const reply = await sendWithRetries(settings, request as StructuredRequest<unknown>, system, messages);
    addUsage(total, reply.usage);
    const checked = checkAnswer(reply.text, request.schema);
    if (checked.ok) return { value: checked.value, json: checked.json, usage: total, costUsd: costOf(total, settings.price) };
    problem = reply.text.trim() ? checked.problem : 'the answer was empty';
    if (reply.text.trim()) messages.push(textMessage('assistant', reply.text));
    messages.push(textMessage('user', reaskMessage(problem)));
  }
  const asks = settings.maxReasks + 1;
  const reason = redactSecrets(`invalid answer after ${asks} ${asks === 1 ? 'try' : 'tries'}: ${clip(problem, 500)}`, settings.secrets);
  throw new JudgeCallError({ task: request.task, reason, provider: settings.provider });
}

type ProviderOptions = Record<string, Record<string, JSONValue>>;

/** The run's options per provider (reasoning) and this call's (prompt cache key), merged per provider. */
function mergeProviderOptions(run: ProviderOptions | undefined, call: ProviderOptions | undefined): ProviderOptions | undefined {
  if (!run || !call) return run ?? call;
  const merged: ProviderOptions = { ...run };
  for (const [provider, options] of Object.entries(call)) merged[provider] = { ...merged[provider], ...options };
  return merged;
}
