import { afterEach, describe, expect, it } from 'vitest';
import {
  type AnthropicBatchServer,
  type AnthropicBatchServerOptions,
  type AnthropicReply,
  startAnthropicBatchServer,
} from '../../../test/support/anthropic-batch-server.js';
import {
  answerFor,
  batchTestBench,
  memoryCache,
  memoryRegistry,
  noSleep,
  rejectionOf,
  requestsFor,
  warmInMemory,
} from '../../../test/support/batch-setup.js';
import { ErrormapError } from '../../errors.js';
import { createJudge } from '../create-judge.js';
import { costOf, lookupPrice } from '../prices.js';
import { createAnthropicBatchClient } from './anthropic-batch-client.js';
import { readAnthropicBatchResults } from './anthropic-batch-output.js';
import { warmCacheWithBatch } from './warm-cache.js';

/** A stand-in key: the tests check it never shows in errors. Not shaped like a real key. */
const SECRET = 'anthropic-test-secret-0123456789';
/** One model per structured-output style of the AI SDK's anthropic provider. */
const OUTPUT_FORMAT_MODEL = 'anthropic:claude-haiku-4-5';
const JSON_TOOL_MODEL = 'anthropic:claude-sonnet-4-20250514';

const bench = batchTestBench<AnthropicBatchServer>(SECRET);
afterEach(() => bench.cleanUp());

function setUp(options: Partial<AnthropicBatchServerOptions> & { spec?: string } = {}) {
  const starting = () =>
    startAnthropicBatchServer({
      respondLine: (line) => ({ json: answerFor(line.user) }),
      respondMessage: (req) => ({ json: answerFor(req.user) }),
      ...options,
    });
  return bench.start(starting, options.spec ?? OUTPUT_FORMAT_MODEL);
}

describe('warmCacheWithBatch (Anthropic Message Batches)', () => {
  it('sends each request as the exact Messages body a synchronous judge call sends, with its cache key as custom_id', async () => {
    for (const spec of [OUTPUT_FORMAT_MODEL, JSON_TOOL_MODEL]) {
      const { server, judgeOptions } = await setUp({ spec });
      const [request] = requestsFor('What is 2+2? Model said 5.');
      const batchCache = memoryCache();
      await warmCacheWithBatch({ judgeOptions, cache: batchCache, requests: [request!], registry: memoryRegistry(), sleep: noSleep });

      expect(server.batchCreates).toHaveLength(1);
      const { body, headers } = server.batchCreates[0]!;
      expect(headers['x-api-key']).toBe(SECRET);
      expect(headers['anthropic-version']).toBe('2023-06-01');
      expect(body.requests).toHaveLength(1);
      const [line] = body.requests;
      expect(line.custom_id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(line.params).toMatchObject({
        model: spec.slice('anthropic:'.length),
        max_tokens: 800,
        temperature: 0,
        system: [{ type: 'text', text: request!.system }],
        messages: [{ role: 'user', content: [{ type: 'text', text: request!.user }] }],
      });
      expect(line.params.stream).toBeUndefined();
      if (spec === OUTPUT_FORMAT_MODEL) {
        expect(line.params.output_config.format.type).toBe('json_schema');
        expect(line.params.output_config.format.schema.required).toContain('error_title');
        expect(line.params.tools).toBeUndefined();
      } else {
        expect(line.params.tools).toMatchObject([{ name: 'json' }]);
        expect(line.params.tools[0].input_schema.required).toContain('error_title');
        expect(line.params.tool_choice).toMatchObject({ type: 'any' });
      }

      // The same request through the synchronous judge into an empty cache: same body, same key, same answer.
      const syncCache = memoryCache();
      await createJudge({ ...judgeOptions, cache: syncCache }).call(request!);
      expect(server.messages).toHaveLength(1);
      expect(line.params).toEqual(server.messages[0]!.body);
      expect([...syncCache.entries.keys()]).toEqual([line.custom_id]);
      expect(batchCache.entries.get(line.custom_id)?.response).toEqual(syncCache.entries.get(line.custom_id)?.response);
    }
  });

  it('caches valid answers so a normal judge.call is served from the cache with zero Messages requests', async () => {
    for (const spec of [OUTPUT_FORMAT_MODEL, JSON_TOOL_MODEL]) {
      const { server, judgeOptions } = await setUp({ spec });
      const requests = requestsFor('q1', 'q2', 'q3');
      const progress: { status: string; completed: number; total: number }[] = [];
      const { result, cache } = await warmInMemory(judgeOptions, requests, { onProgress: (p) => progress.push(p) });
      expect(result).toMatchObject({ requests: 3, cachedBefore: 0, submitted: 3, answered: 3, invalid: 0, failed: 0 });
      expect(progress[0]).toMatchObject({ status: 'in_progress', completed: 0, total: 3 });
      expect(progress.at(-1)).toMatchObject({ status: 'ended', completed: 3, total: 3 });

      const judge = createJudge({ ...judgeOptions, cache });
      for (const request of requests) {
        const answer = await judge.call(request);
        expect(answer.cached).toBe(true);
        expect(answer.value).toEqual(answerFor(request.user));
      }
      expect(server.messages).toHaveLength(0);
    }
  });

  it('stores usage from message.usage and the cost at the batch discount', async () => {
    const { judgeOptions } = await setUp({
      respondLine: (line) => ({ json: answerFor(line.user), usage: { input_tokens: 1000, output_tokens: 200 } }),
    });
    const { result, cache } = await warmInMemory(judgeOptions, requestsFor('q1'));
    const [stored] = cache.entries.values();
    const usage = { inputTokens: 1000, outputTokens: 200 };
    expect(stored!.usage).toEqual(usage);
    const full = costOf(usage, lookupPrice('claude-haiku-4-5'))!;
    expect(full).toBeGreaterThan(0);
    expect(stored!.costUsd).toBeCloseTo(full / 2, 12);
    expect(result.costUsd).toBeCloseTo(full / 2, 12);
  });

  it('caches neither errored, expired, canceled or missing results nor invalid answers, and records why', async () => {
    const replies: Record<string, AnthropicReply> = {
      errored: { errored: 'prompt is too long' },
      expired: { expired: true },
      canceled: { canceled: true },
      lost: { omit: true },
      'bad-json': { text: 'I think the error is…' },
      'bad-shape': { json: { title: 'x' } },
    };
    const { server, judgeOptions } = await setUp({ respondLine: (line) => replies[line.user] ?? { json: answerFor(line.user) } });
    const requests = requestsFor('ok', ...Object.keys(replies));
    const { result, cache, registry } = await warmInMemory(judgeOptions, requests);
    expect(result).toMatchObject({ answered: 1, invalid: 2, failed: 4 });
    expect(cache.entries.size).toBe(1);
    const [job] = registry.records.values();
    const reasons = job!.collected!.errors.map((e) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['errored: invalid_request_error: prompt is too long', 'expired', 'canceled', 'no result (job ended)']),
    );

    // Everything not cached goes the synchronous way.
    const judge = createJudge({ ...judgeOptions, cache });
    const answers = await Promise.all(requests.map((r) => judge.call(r)));
    expect(answers.filter((a) => a.cached)).toHaveLength(1);
    expect(server.messages).toHaveLength(6);
  });
});

describe('createAnthropicBatchClient', () => {
  it('retries a batch creation answered with 529 and 429, then submits once', async () => {
    const { server } = await setUp({ failCreatesWith: [529, 429] });
    const waits: number[] = [];
    const client = createAnthropicBatchClient({ baseUrl: server.baseUrl, apiKey: SECRET }, { sleep: async (ms) => void waits.push(ms) });
    const line = {
      key: 'a'.repeat(64),
      task: 'error_analysis' as const,
      body: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [] },
    };
    const { jobId } = await client.submit([line]);
    expect(server.batchCreates).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(server.batches.has(jobId)).toBe(true);
  });

  it('carries the beta features the captured requests asked for in the anthropic-beta header', async () => {
    const { server } = await setUp();
    const client = createAnthropicBatchClient({ baseUrl: server.baseUrl, apiKey: SECRET }, { sleep: noSleep });
    const body = { model: 'claude-haiku-4-5', max_tokens: 10, messages: [] };
    await client.submit([
      { key: 'k1', task: 'error_analysis', body, headers: { 'anthropic-beta': 'feature-b, feature-a' } },
      { key: 'k2', task: 'error_analysis', body, headers: { 'anthropic-beta': 'feature-a' } },
    ]);
    await client.submit([{ key: 'k3', task: 'error_analysis', body }]);
    expect(server.batchCreates.map((c) => c.headers['anthropic-beta'])).toEqual(['feature-a,feature-b', undefined]);
  });

  it('gives up on a 400 at once, with the API message and without the key', async () => {
    const { server } = await setUp({ failCreatesWith: [400] });
    const client = createAnthropicBatchClient({ baseUrl: server.baseUrl, apiKey: SECRET }, { sleep: noSleep });
    const attempt = client.submit([{ key: 'k1', task: 'error_analysis', body: { model: 'm' } }]);
    await expect(attempt).rejects.toThrow(/HTTP 400: overloaded_error: scripted failure/);
    await attempt.catch((e: Error) => expect(e.message).not.toContain(SECRET));
    expect(server.batchCreates).toHaveLength(1);
  });

  it('turns a 401 that quotes the key into a clean JUDGE_UNAVAILABLE error without the key, in every method', async () => {
    const { server } = await setUp({ rejectKeys: true });
    const client = createAnthropicBatchClient({ baseUrl: server.baseUrl, apiKey: SECRET }, { sleep: noSleep });
    const attempts = [
      () => client.submit([{ key: 'k1', task: 'error_analysis', body: { model: 'm' } }]),
      () => client.status('msgbatch_1'),
      () => client.download(`${server.baseUrl}/messages/batches/msgbatch_1/results`),
    ];
    for (const attempt of attempts) {
      const error = await rejectionOf(attempt());
      expect(ErrormapError.isInstance(error) && error.code).toBe('JUDGE_UNAVAILABLE');
      expect(error.message).toMatch(/HTTP 401: authentication_error: invalid x-api-key/);
      expect(error.message).not.toContain(SECRET);
      expect(error.cause).toBeUndefined();
    }
  });

  it('refuses a key that is not a valid custom_id before sending anything', async () => {
    const { server } = await setUp();
    const client = createAnthropicBatchClient({ baseUrl: server.baseUrl, apiKey: SECRET }, { sleep: noSleep });
    await expect(client.submit([{ key: 'x'.repeat(65), task: 'error_analysis', body: {} }])).rejects.toThrow(/custom_id/);
    expect(server.batchCreates).toHaveLength(0);
  });
});

describe('readAnthropicBatchResults', () => {
  it('reads the json tool input, text blocks, usage with prompt-cache tokens, and skips unreadable lines', () => {
    const jsonl = [
      JSON.stringify({
        custom_id: 'tool',
        result: {
          type: 'succeeded',
          message: {
            content: [{ type: 'tool_use', id: 't', name: 'json', input: { a: 1 } }],
            stop_reason: 'tool_use',
            usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 3 },
          },
        },
      }),
      'not json',
      JSON.stringify({
        custom_id: 'text',
        result: {
          type: 'succeeded',
          message: {
            content: [
              { type: 'thinking', thinking: '…' },
              { type: 'text', text: '{"a":' },
              { type: 'text', text: '2}' },
            ],
            usage: { input_tokens: 1, output_tokens: 2 },
          },
        },
      }),
      JSON.stringify({ result: { type: 'succeeded' } }),
    ].join('\n');
    expect(readAnthropicBatchResults(jsonl)).toEqual([
      { key: 'tool', kind: 'answer', text: '{"a":1}', usage: { inputTokens: 8, outputTokens: 7 } },
      { key: 'text', kind: 'answer', text: '{"a":2}', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
  });
});
