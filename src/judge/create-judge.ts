import type { JSONSchema7 } from '@ai-sdk/provider';
import PQueue from 'p-queue';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { callCacheKey } from './call-key.js';
import type { CallCache, Judge, JudgeRequest, JudgeResult } from './judge.js';
import { parseJudgeSpec } from './judge-spec.js';
import type { ChatModel } from './model-call.js';
import { lookupPrice, type Price } from './prices.js';
import { type Env, findProvider, resolveProvider } from './provider-registry.js';
import { type ReasoningLevel, reasoningProviderOptions, withReasoningLine } from './reasoning.js';
import { SpendingBudget } from './spending-budget.js';
import { runStructuredCall } from './structured-call.js';
import { UsageMeter } from './usage-meter.js';

// The AI SDK prints warnings to stdout, which would corrupt piped CLI output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export interface JudgeOptions {
  /** `provider:model`, as given to --judge. */
  spec: string;
  /** Overrides the provider's (or alias's) base URL. */
  baseUrl?: string;
  /** Overrides the key from the environment. Never stored or logged. */
  apiKey?: string;
  /** Judge calls in flight at once, shared by all tasks (default 4). */
  concurrency?: number;
  /** Retries per request on 429, 5xx, timeouts and connection errors (default 4). */
  maxRetries?: number;
  /** Re-asks after an answer that fails the schema (default 2). */
  maxReasks?: number;
  /** Per-request timeout (default 120 000 ms). */
  timeoutMs?: number;
  /** Default 0. */
  temperature?: number;
  maxOutputTokens?: number;
  /** Send the JSON schema as response_format (default true); false asks for JSON in the prompt. */
  structuredOutputs?: boolean;
  /** Reasoning effort, through the provider's own option (and the prompt line compatible servers read). */
  reasoning?: ReasoningLevel;
  /** USD per 1M tokens; overrides the built-in table. */
  price?: Price;
  cache?: CallCache;
  meter?: UsageMeter;
  /** Waits between retries; injectable so tests record waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source for backoff (timing only; never changes a result). */
  random?: () => number;
  /** Where keys and AZURE_RESOURCE_NAME are read from (default process.env). */
  env?: Env;
  /** --budget: stop sending calls before the estimated spend would pass this many USD (needs a price). */
  budgetUsd?: number;
  /** USD already paid for answers this judge can reuse (the run's call cache), counted against the budget. */
  spentBeforeUsd?: number;
  /**
   * Send the first request alone (default): when the judge turns out unavailable it fails once and
   * halts the others before they are sent. Off when a probe call has just shown the judge answers.
   */
  firstRequestAlone?: boolean;
}

export interface CreatedJudge extends Judge {
  readonly meter: UsageMeter;
  /** Canonical provider name (aliases resolved) and model, for the run record. */
  readonly provider: string;
  readonly model: string;
  /** Where requests go and where the key comes from, for messages that tell the user what to fix. Never the key. */
  readonly access: JudgeAccess;
  /** Calls it sends at once (its queue's limit). */
  readonly concurrency: number;
  /** Present with --budget. */
  readonly budget?: SpendingBudget;
}

export interface JudgeAccess {
  baseUrl?: string;
  /** Environment variables the key is read from, in order. */
  keyVariables: readonly string[];
  /** Whether a key is sent at all. */
  keyGiven: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// JSON schemas are derived once per zod schema object, the way the AI SDK derives them.
const jsonSchemas = new WeakMap<object, Promise<JSONSchema7>>();
/**
 * The JSON schema the judge sends (and hashes) for a zod schema. Length and range keywords are left
 * out: strict structured-output modes (OpenAI, Gemini, Anthropic) reject several of them, and the
 * answer is validated against the full zod schema anyway, with a re-ask when it breaks a limit.
 */
export function jsonSchemaOf(schema: z.ZodType<unknown>): Promise<JSONSchema7> {
  let found = jsonSchemas.get(schema);
  if (!found) {
    found = loadZodSchema().then((zodSchema) => withoutLimitKeywords(zodSchema(schema).jsonSchema) as JSONSchema7);
    jsonSchemas.set(schema, found);
  }
  return found;
}

// The AI SDK's core (with its gateway and telemetry) loads once a judge is made, not at start: a run
// without a judge never needs it.
let zodSchemaLoaded: Promise<typeof import('ai')['zodSchema']> | undefined;
const loadZodSchema = () => {
  zodSchemaLoaded ??= import('ai').then(({ zodSchema }) => zodSchema);
  return zodSchemaLoaded;
};

const LIMIT_KEYWORDS = new Set([
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'pattern',
  'format',
]);

function withoutLimitKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLimitKeywords);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Inside "properties" the keys are field names, which may be called anything (even "format").
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutLimitKeywords(sub)]));
    } else if (!LIMIT_KEYWORDS.has(key)) {
      out[key] = withoutLimitKeywords(value);
    }
  }
  return out;
}

/** The sampling and format parameters a judge built from these options puts in every call key. */
export function judgeParameters(options: Pick<JudgeOptions, 'temperature' | 'maxOutputTokens' | 'structuredOutputs' | 'reasoning'>) {
  return {
    temperature: options.temperature ?? 0,
    maxOutputTokens: options.maxOutputTokens,
    structuredOutputs: options.structuredOutputs ?? true,
    // Only when set, so the keys of calls made without it stay what they were.
    ...(options.reasoning ? { reasoning: options.reasoning } : {}),
  };
}

/**
 * The call-cache key, JSON schema and request as sent (with the reasoning line where the provider reads
 * it from the prompt), exactly as `judge.call` computes them (batch mode and the dry run reuse it).
 */
export async function judgeCallKey<T>(
  target: { provider: string; model: string; parameters: { reasoning?: ReasoningLevel } & Record<string, unknown> },
  asked: JudgeRequest<T>,
): Promise<{ key: string; jsonSchema: JSONSchema7; request: JudgeRequest<T> }> {
  const style = findProvider(target.provider)?.reasoning ?? 'openai';
  const request = withReasoningLine(asked, style, target.parameters.reasoning);
  const jsonSchema = await jsonSchemaOf(request.schema as z.ZodType<unknown>);
  const key = callCacheKey({
    provider: target.provider,
    model: target.model,
    task: request.task,
    parameters: target.parameters,
    system: request.system,
    user: request.user,
    schema: jsonSchema,
  });
  return { key, jsonSchema, request };
}

/**
 * Builds a judge for `provider:model`. Fails at once (ErrormapError JUDGE_UNAVAILABLE) when the
 * provider is unknown or its key is missing; the provider package starts loading at once, and a
 * failure to load it is reported by the first call.
 */
export function createJudge(options: JudgeOptions): CreatedJudge {
  const spec = parseJudgeSpec(options.spec);
  const resolved = resolveProvider(spec, { baseUrl: options.baseUrl, apiKey: options.apiKey, env: options.env ?? process.env });
  const parameters = judgeParameters(options);
  const structuredOutputs = parameters.structuredOutputs;
  let model: Promise<ChatModel> | undefined;
  const loadModel = () => {
    model ??= resolved.entry.create({
      providerName: resolved.entry.name,
      model: resolved.model,
      baseUrl: resolved.baseUrl,
      apiKey: resolved.apiKey,
      structuredOutputs,
      env: options.env ?? process.env,
    });
    return model;
  };
  // The provider package and the schema converter load while the input is read, so the first call
  // (the probe, sent as reading starts) waits for neither behind the reading.
  loadModel().catch(() => {});
  loadZodSchema().catch(() => {});
  const meter = options.meter ?? new UsageMeter();
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const queue = new PQueue({ concurrency });
  const settings = {
    model: loadModel,
    structuredOutputs,
    temperature: parameters.temperature,
    maxOutputTokens: options.maxOutputTokens,
    timeoutMs: options.timeoutMs ?? 120_000,
    maxRetries: Math.max(0, options.maxRetries ?? 4),
    maxReasks: Math.max(0, options.maxReasks ?? 2),
    price: options.price ?? lookupPrice(resolved.model),
    meter,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    secrets: [resolved.apiKey],
    providerOptions: options.reasoning
      ? reasoningProviderOptions(resolved.entry.reasoning, resolved.entry.name, options.reasoning)
      : undefined,
    provider: resolved.entry.name,
    halt: {},
    promptCache: resolved.entry.promptCache,
  };
  const id = options.spec.trim();
  const budget = spendingBudget(options, settings.price, meter);
  // The first request that reaches the network goes alone: when the judge is unavailable (rejected
  // key, nothing listening) it fails once and halts the others before they are sent.
  let firstRequest: Promise<unknown> | undefined = options.firstRequestAlone === false ? Promise.resolve() : undefined;
  const send = <T>(request: JudgeRequest<T>, schema: JSONSchema7) => {
    const run = () => queue.add(() => runStructuredCall(settings, { ...request, jsonSchema: schema }));
    if (!firstRequest) {
      const answer = run();
      firstRequest = answer.catch(() => undefined);
      return answer;
    }
    return firstRequest.then(run);
  };

  async function call<T>(request: JudgeRequest<T>): Promise<JudgeResult<T>> {
    const {
      key,
      jsonSchema: schema,
      request: sent,
    } = await judgeCallKey({ provider: resolved.entry.name, model: resolved.model, parameters }, request);
    meter.callStarted();
    try {
      const hit = options.cache?.get(key);
      if (hit) {
        const parsed = request.schema.safeParse(hit.response);
        if (parsed.success) {
          meter.cacheHit(request.task);
          return { value: parsed.data, usage: hit.usage, cached: true, costUsd: hit.costUsd };
        }
      }
      const reserved = budget?.reserve(request.task, sent.system.length + sent.user.length) ?? 0;
      const answer = await send(sent, schema).finally(() => budget?.release(reserved));
      options.cache?.put(key, { task: request.task, judge: id, response: answer.json, usage: answer.usage, costUsd: answer.costUsd });
      return { value: answer.value, usage: answer.usage, cached: false, costUsd: answer.costUsd };
    } catch (error) {
      meter.callFailed(request.task);
      throw error;
    } finally {
      meter.callFinished();
    }
  }

  const access: JudgeAccess = { baseUrl: resolved.baseUrl, keyVariables: resolved.entry.keyEnv, keyGiven: Boolean(resolved.apiKey) };
  return { id, meter, provider: resolved.entry.name, model: resolved.model, access, concurrency, budget, call };
}

function spendingBudget(options: JudgeOptions, price: Price | undefined, meter: UsageMeter): SpendingBudget | undefined {
  if (options.budgetUsd === undefined) return undefined;
  if (!price) throw new ConfigError(`--budget: no known price for ${options.spec}; give --price INPUT,OUTPUT (USD per million tokens)`);
  const before = options.spentBeforeUsd ?? 0;
  // With a price every cost is known; `?? 0` only satisfies the type.
  return new SpendingBudget(options.budgetUsd, price, () => before + (meter.total().costUsd ?? 0));
}
