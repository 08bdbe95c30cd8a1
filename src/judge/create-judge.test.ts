import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JudgeServer, type ScriptedReply, type ScriptedRequest, startJudgeServer } from '../../test/support/judge-server.js';
import { createJudge, type JudgeOptions } from './create-judge.js';
import { type CachedCall, type CallCache, JudgeCallError } from './judge.js';
import { UsageMeter } from './usage-meter.js';

const analysisSchema = z.object({
  has_error: z.boolean(),
  error_title: z.string().min(1),
  error_summary: z.string(),
});
const good = { has_error: true, error_title: 'Arithmetic slip', error_summary: 'Added 2 and 2 to get 5.' };
const request = {
  task: 'error_analysis' as const,
  system: 'You analyse failures.',
  user: 'Question: 2+2? Answer: 5',
  schema: analysisSchema,
};

const SECRET = 'sk-test-secret-do-not-leak-0123456789';

let server: JudgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function judgeAgainst(respond: (r: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>, options: Partial<JudgeOptions> = {}) {
  server = await startJudgeServer({ respond });
  const waits: number[] = [];
  const judge = createJudge({
    spec: 'openai-compatible:scripted-model',
    baseUrl: server.baseUrl,
    apiKey: SECRET,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    env: {},
    ...options,
  });
  return { judge, waits, server };
}

function memoryCache(): CallCache & { entries: Map<string, CachedCall> } {
  const entries = new Map<string, CachedCall>();
  return { entries, get: (k) => entries.get(k), put: (k, v) => void entries.set(k, v) };
}

async function failureOf(promise: Promise<unknown>): Promise<JudgeCallError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof JudgeCallError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('createJudge against an OpenAI-compatible server', () => {
  it('sends the JSON schema named after the task and returns the validated answer with usage', async () => {
    const { judge, server } = await judgeAgainst(() => ({ json: good }));
    const result = await judge.call(request);
    expect(result.value).toEqual(good);
    expect(result.cached).toBe(false);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBe(Math.ceil(JSON.stringify(good).length / 4));
    const body = server.requests[0].body;
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('error_analysis');
    expect(body.response_format.json_schema.schema.required).toEqual(['has_error', 'error_title', 'error_summary']);
    expect(body.temperature).toBe(0);
    expect(body.messages[0]).toEqual({ role: 'system', content: request.system });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('re-asks a schema-breaking answer with the validation error and accepts the second answer', async () => {
    const { judge, server } = await judgeAgainst((r) =>
      r.reasks === 0 ? { json: { has_error: 'yes', error_title: '' } } : { json: good },
    );
    const result = await judge.call(request);
    expect(result.value).toEqual(good);
    expect(server.requests).toHaveLength(2);
    const followUp = server.requests[1].body.messages;
    expect(followUp.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify({ has_error: 'yes', error_title: '' }) });
    expect(followUp.at(-1).role).toBe('user');
    expect(followUp.at(-1).content).toMatch(/has_error/);
    expect(followUp.at(-1).content).toMatch(/error_summary/);
    expect(result.usage.outputTokens).toBeGreaterThan(Math.ceil(JSON.stringify(good).length / 4));
  });

  it('re-asks prose that is not JSON at all', async () => {
    const { judge } = await judgeAgainst((r) =>
      r.reasks === 0 ? { text: 'I think the model made an arithmetic error.' } : { json: good },
    );
    expect((await judge.call(request)).value).toEqual(good);
  });

  it('gives up with JudgeCallError naming the problem when the answer keeps breaking the schema', async () => {
    const meter = new UsageMeter();
    const { judge, server } = await judgeAgainst(() => ({ json: { verdict: 'wrong' } }), { maxReasks: 2, meter });
    const error = await failureOf(judge.call(request));
    expect(error.task).toBe('error_analysis');
    expect(error.reason).toMatch(/invalid answer after 3 tries/);
    expect(error.reason).toMatch(/has_error/);
    expect(server.requests).toHaveLength(3);
    expect(meter.snapshot().error_analysis).toMatchObject({ calls: 3, failedCalls: 1, cachedCalls: 0 });
  });

  it('waits at least Retry-After seconds after a 429, then succeeds', async () => {
    const { judge, waits, server } = await judgeAgainst((r) => (r.attempt === 1 ? { status: 429, retryAfter: '2' } : { json: good }));
    expect((await judge.call(request)).value).toEqual(good);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThan(3000);
  });

  it('retries a 500 with growing backoff until it succeeds', async () => {
    const { judge, waits, server } = await judgeAgainst((r) => (r.attempt <= 2 ? { status: 500 } : { json: good }));
    expect((await judge.call(request)).value).toEqual(good);
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]);
  });

  it('does not retry a 401 and never puts the key in the reason', async () => {
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${SECRET}`, type: 'invalid_request_error' } });
    const { judge, server } = await judgeAgainst(() => ({ status: 401, body }));
    const error = await failureOf(judge.call(request));
    expect(server.requests).toHaveLength(1);
    expect(error.reason).toMatch(/HTTP 401/);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(SECRET.slice(0, 20));
  });

  it('stops every call after one 401: the others fail with the same error and send nothing', async () => {
    const { judge, server } = await judgeAgainst(() => ({ status: 401 }), { concurrency: 4 });
    const errors = await Promise.all(Array.from({ length: 10 }, (_, i) => failureOf(judge.call({ ...request, user: `failure ${i}` }))));
    expect(server.requests).toHaveLength(1);
    for (const e of errors)
      expect(e).toMatchObject({ code: 'JUDGE_UNAVAILABLE', unavailable: true, status: 401, provider: 'openai-compatible' });
    expect(errors[0].url).toBe(`${server.baseUrl}/chat/completions`);
  });

  it('redacts the key from an answer that echoes it, in plain and base64 form', async () => {
    const echoed = Buffer.from(`user:${SECRET}`).toString('base64');
    const { judge } = await judgeAgainst(() => ({ json: { ...good, error_summary: `key ${SECRET} auth Basic ${echoed}` } }));
    const { value } = await judge.call(request);
    expect(value.error_summary).not.toContain(SECRET);
    expect(value.error_summary).not.toContain(Buffer.from(SECRET).toString('base64').slice(4, 30));
    expect(value.error_summary).toMatch(/^key \[redacted\] auth Basic /);
  });

  it('gives up after maxRetries server errors with the status in the reason', async () => {
    const { judge, server, waits } = await judgeAgainst(() => ({ status: 503 }), { maxRetries: 2 });
    const error = await failureOf(judge.call(request));
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(error.reason).toMatch(/HTTP 503/);
    expect(error.reason).toMatch(/after 3 attempts/);
  });

  it('retries a request that times out', async () => {
    const { judge, server } = await judgeAgainst((r) => (r.attempt === 1 ? { delayMs: 2000, reply: { json: good } } : { json: good }), {
      timeoutMs: 150,
    });
    const started = Date.now();
    expect((await judge.call(request)).value).toEqual(good);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries a dropped connection', async () => {
    const { judge, server } = await judgeAgainst((r) => (r.attempt === 1 ? { hangUp: true } : { json: good }));
    expect((await judge.call(request)).value).toEqual(good);
    expect(server.requests).toHaveLength(2);
  });

  it('keeps no more calls in flight than the concurrency limit', async () => {
    const meter = new UsageMeter();
    const { judge, server } = await judgeAgainst(() => ({ delayMs: 40, reply: { json: good } }), { concurrency: 3, meter });
    const calls = Array.from({ length: 10 }, (_, i) => judge.call({ ...request, user: `failure ${i}` }));
    await Promise.all(calls);
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight()).toBe(3);
    expect(meter.progress()).toEqual({ started: 10, finished: 10, inFlight: 0, awaitingAnswer: 0 });
  });

  it('answers a repeated call from the cache without sending a request', async () => {
    const cache = memoryCache();
    const meter = new UsageMeter();
    const { judge, server } = await judgeAgainst(() => ({ json: good }), { cache, meter });
    const first = await judge.call(request);
    expect(cache.entries.size).toBe(1);
    const second = await judge.call(request);
    expect(server.requests).toHaveLength(1);
    expect(second).toMatchObject({ value: good, cached: true, usage: first.usage });
    expect(meter.snapshot().error_analysis).toMatchObject({ calls: 1, cachedCalls: 1 });
    const stored = [...cache.entries.values()][0];
    expect(stored).toMatchObject({ task: 'error_analysis', judge: 'openai-compatible:scripted-model', response: good });
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  it('sends again when a cached answer no longer validates', async () => {
    const cache = memoryCache();
    const { judge, server } = await judgeAgainst(() => ({ json: good }), { cache });
    await judge.call(request);
    for (const [key, value] of cache.entries) cache.entries.set(key, { ...value, response: { broken: true } });
    expect((await judge.call(request)).cached).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('asks for JSON in the prompt when structured outputs are off, and extracts it from prose', async () => {
    const { judge, server } = await judgeAgainst(() => ({ text: `Here is my analysis:\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\`` }), {
      structuredOutputs: false,
    });
    expect((await judge.call(request)).value).toEqual(good);
    const body = server.requests[0].body;
    expect(body.response_format).toBeUndefined();
    expect(body.messages[0].content).toContain(request.system);
    expect(body.messages[0].content).toContain('"error_title"');
  });

  it('counts usage and cost per task', async () => {
    const meter = new UsageMeter();
    const { judge } = await judgeAgainst(() => ({ json: good }), { meter, price: { input: 1, output: 2 } });
    const result = await judge.call(request);
    await judge.call({ ...request, task: 'analysis_check' });
    const usage = meter.snapshot();
    expect(Object.keys(usage).sort()).toEqual(['analysis_check', 'error_analysis']);
    expect(usage.error_analysis.inputTokens).toBe(result.usage.inputTokens);
    expect(result.costUsd).toBeCloseTo((result.usage.inputTokens * 1 + result.usage.outputTokens * 2) / 1e6, 12);
    expect(usage.error_analysis.costUsd).toBeCloseTo(result.costUsd ?? Number.NaN, 12);
  });

  it('adds up the tokens of every re-ask, cached prompt tokens included, as the meter counted them', async () => {
    const meter = new UsageMeter();
    const { judge } = await judgeAgainst(
      (r) => (r.reasks === 0 ? { json: { has_error: 'yes' }, cachedTokens: 3 } : { json: good, cachedTokens: 5 }),
      {
        meter,
      },
    );
    const { usage } = await judge.call(request);
    const counted = meter.snapshot().error_analysis;
    expect(usage).toEqual({ inputTokens: counted.inputTokens, outputTokens: counted.outputTokens, cachedInputTokens: 8 });
    expect(counted.calls).toBe(2);
  });

  it('calls an empty or blank answer empty, re-asks without it, and says "try" for a single ask', async () => {
    const { judge, server } = await judgeAgainst(() => ({ text: '  \n ' }), { maxReasks: 1 });
    const error = await failureOf(judge.call(request));
    expect(error.reason).toBe('invalid answer after 2 tries: the answer was empty');
    // the blank answer is not kept as an assistant turn
    expect(server.requests[1].body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'user']);
    await server?.close();
    const once = await judgeAgainst(() => ({ text: 'no JSON here' }), { maxReasks: 0 });
    expect((await failureOf(once.judge.call(request))).reason).toMatch(/^invalid answer after 1 try: it is not valid JSON \(.+\)$/);
  });

  it('counts retries, names attempts only when there were several, and halts only on an unavailable judge', async () => {
    const meter = new UsageMeter();
    const { judge, server } = await judgeAgainst(
      (r) => (r.user === 'bad' ? { status: 400, body: 'bad request' } : r.attempt === 1 ? { status: 500 } : { json: good }),
      {
        meter,
      },
    );
    expect((await judge.call(request)).value).toEqual(good);
    expect(meter.snapshot().error_analysis).toMatchObject({ calls: 2, retries: 1 });
    const error = await failureOf(judge.call({ ...request, user: 'bad' }));
    expect(error.reason).toMatch(/^HTTP 400: /);
    expect(error.reason).not.toMatch(/attempts/);
    // a 400 ends that call only: the next one is sent
    const sent = server.requests.length;
    expect((await judge.call({ ...request, user: 'next' })).value).toEqual(good);
    expect(server.requests.length).toBeGreaterThan(sent);
  });

  it('gives up a call that times out on every try with the time it waited', async () => {
    const { judge } = await judgeAgainst(() => ({ delayMs: 2000, reply: { json: good } }), { timeoutMs: 150, maxRetries: 0 });
    expect((await failureOf(judge.call(request))).reason).toBe('timeout: no answer within 150 ms');
  });

  it('keeps the key out of the URL it reports', async () => {
    server = await startJudgeServer({ respond: () => ({ json: good }) });
    const judge = createJudge({
      spec: 'openai-compatible:scripted-model',
      baseUrl: `${server.baseUrl}/${SECRET}`,
      apiKey: SECRET,
      env: {},
    });
    const error = await failureOf(judge.call(request));
    expect(error.status).toBe(404);
    expect(error.url).toBe(`${server.baseUrl}/[redacted]/chat/completions`);
  });

  it('leaves cost undefined for a model without a known price', async () => {
    const { judge } = await judgeAgainst(() => ({ json: good }));
    expect((await judge.call(request)).costUsd).toBeUndefined();
  });
});

describe('cache keys through the judge', () => {
  it('sends again when the prompt, the schema or the model changes', async () => {
    const cache = memoryCache();
    const { judge, server } = await judgeAgainst(() => ({ json: good }), { cache });
    await judge.call(request);
    await judge.call({ ...request, user: `${request.user}!` });
    await judge.call({ ...request, schema: analysisSchema.extend({ extra: z.string().optional() }) });
    const other = createJudge({ spec: 'openai-compatible:other-model', baseUrl: server.baseUrl, env: {}, cache });
    await other.call(request);
    await judge.call(request);
    expect(server.requests).toHaveLength(4);
    expect(cache.entries.size).toBe(4);
  });
});

describe('hosted provider packages against the scripted server', () => {
  it('openai: sends the key, the schema named after the task, and prices the call from the table', async () => {
    server = await startJudgeServer({ respond: () => ({ json: good }) });
    const judge = createJudge({ spec: 'openai:gpt-4.1-mini', baseUrl: server.baseUrl, env: { OPENAI_API_KEY: SECRET } });
    const result = await judge.call(request);
    expect(result.value).toEqual(good);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(server.requests[0].body.response_format.json_schema).toMatchObject({ name: 'error_analysis', strict: true });
    expect(result.costUsd).toBeCloseTo((result.usage.inputTokens * 0.4 + result.usage.outputTokens * 1.6) / 1e6, 12);
  });

  it('openai: sends one prompt_cache_key per shared prefix, and prices cached prompt tokens at the cached rate', async () => {
    server = await startJudgeServer({ respond: () => ({ json: good, cachedTokens: 4 }) });
    const meter = new UsageMeter();
    const judge = createJudge({ spec: 'openai:gpt-4.1-mini', baseUrl: server.baseUrl, env: { OPENAI_API_KEY: SECRET }, meter });
    const shared = { ...request, user: 'Question: 2+2? <model_output>5</model_output>', cacheablePrefix: 'Question: 2+2? '.length };
    const result = await judge.call(shared);
    await judge.call({ ...shared, user: 'Question: 2+2? <model_output>22</model_output>' });
    await judge.call({ ...shared, user: 'Question: 3+3? <model_output>7</model_output>' });
    const keys = server.requests.map((r) => r.body.prompt_cache_key);
    expect(keys[0]).toMatch(/^errormap-/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(result.usage.cachedInputTokens).toBe(4);
    const uncached = result.usage.inputTokens - 4;
    expect(result.costUsd).toBeCloseTo((uncached * 0.4 + 4 * 0.1 + result.usage.outputTokens * 1.6) / 1e6, 12);
    expect(meter.snapshot().error_analysis.cachedInputTokens).toBe(12);
  });

  it('sends the first request alone, unless a probe has just shown the judge answers', async () => {
    const inFlightAtArrival = async (firstRequestAlone?: boolean) => {
      let inFlight = 0;
      const seen: number[] = [];
      const { judge } = await judgeAgainst(
        async () => {
          seen.push(++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 50));
          inFlight--;
          return { json: good };
        },
        { concurrency: 4, firstRequestAlone },
      );
      await Promise.all(['a', 'b', 'c'].map((user) => judge.call({ ...request, user })));
      return Math.max(...seen);
    };
    expect(await inFlightAtArrival()).toBe(2);
    await server?.close(); // the second server is closed after the test
    expect(await inFlightAtArrival(false)).toBe(3);
  });

  it('openai: --reasoning and the prompt cache key reach the same request', async () => {
    server = await startJudgeServer({ respond: () => ({ json: good }) });
    const judge = createJudge({ spec: 'openai:o4-mini', baseUrl: server.baseUrl, env: { OPENAI_API_KEY: SECRET }, reasoning: 'low' });
    await judge.call({ ...request, user: 'Question: 2+2? <model_output>5</model_output>', cacheablePrefix: 'Question: 2+2? '.length });
    expect(server.requests[0].body.prompt_cache_key).toMatch(/^errormap-/);
    expect(server.requests[0].body.reasoning_effort).toBe('low');
  });
});
