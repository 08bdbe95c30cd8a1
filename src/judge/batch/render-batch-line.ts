import { judgeCallKey } from '../create-judge.js';
import type { JudgeRequest } from '../judge.js';
import { type ChatModel, generateAnswer, textMessage } from '../model-call.js';
import { findProvider } from '../provider-registry.js';
import { reasoningProviderOptions } from '../reasoning.js';
import { withSchemaInstructions } from '../structured-call.js';
import type { BatchTarget } from './batch-target.js';

/** One request of a batch: its call-cache key (also its custom_id) and the request body the provider package sends. */
export interface BatchLine {
  key: string;
  task: JudgeRequest<unknown>['task'];
  body: Record<string, unknown>;
  /** Request headers that change what is asked (`anthropic-beta`), when the package sent any. */
  headers?: Record<string, string>;
}

/** Headers a batch must carry over from the captured request; credentials are never among them. */
const CARRIED_HEADERS = ['anthropic-beta'];

function carriedHeaders(init: RequestInit | undefined): Record<string, string> | undefined {
  const all = new Headers(init?.headers);
  const kept = CARRIED_HEADERS.flatMap((name) => {
    const value = all.get(name);
    return value ? [[name, value] as const] : [];
  });
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** Thrown by the capturing fetch once it has the body: nothing leaves the process. */
class BodyCaptured extends Error {}

/**
 * Renders requests into batch lines. Each body is captured from the AI SDK itself (the judge's own
 * provider package, with a fetch that records and stops), so a batched request is byte-for-byte the
 * first ask `judge.call` would send: same messages, schema, temperature, token limit and model quirks.
 */
export function createBatchLineRenderer(target: BatchTarget): (request: JudgeRequest<unknown>) => Promise<BatchLine> {
  let captured: { body: Record<string, unknown>; headers?: Record<string, string> } | undefined;
  const capture: typeof globalThis.fetch = async (_input, init) => {
    captured = { body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>, headers: carriedHeaders(init) };
    throw new BodyCaptured('request body captured');
  };
  let model: Promise<ChatModel> | undefined;
  // One model and one capture slot: render one request at a time.
  let chain: Promise<unknown> = Promise.resolve();

  async function render(request: JudgeRequest<unknown>): Promise<BatchLine> {
    model ??= target.chatModel(capture);
    const { key, jsonSchema: schema, request: sent } = await judgeCallKey(target, request);
    const { structuredOutputs, temperature, maxOutputTokens, reasoning } = target.parameters;
    const system = structuredOutputs ? sent.system : withSchemaInstructions(sent.system, schema);
    captured = undefined;
    try {
      await generateAnswer(await model, {
        system,
        messages: [textMessage('user', request.user)],
        schema: structuredOutputs ? { jsonSchema: schema, name: request.task } : undefined,
        temperature,
        maxOutputTokens,
        providerOptions: reasoning
          ? reasoningProviderOptions(findProvider(target.provider)?.reasoning ?? 'openai', target.provider, reasoning)
          : undefined,
      });
    } catch {
      // Expected: the capturing fetch always throws.
    }
    const done = captured as { body: Record<string, unknown>; headers?: Record<string, string> } | undefined;
    if (!done) throw new Error(`could not render the ${request.task} request body for the batch`);
    const { body, headers } = done;
    delete body.stream;
    return headers ? { key, task: request.task, body, headers } : { key, task: request.task, body };
  }

  return (request) => {
    const next = chain.then(() => render(request));
    chain = next.catch(() => undefined);
    return next;
  };
}
