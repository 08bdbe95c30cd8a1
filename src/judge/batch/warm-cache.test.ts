import { afterEach, describe, expect, it } from 'vitest';
import { type BatchLineReply, type BatchServer, type BatchServerOptions, startBatchServer } from '../../../test/support/batch-server.js';
import {
  answerFor,
  batchTestBench,
  killed,
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
import { createOpenAIBatchClient } from './batch-client.js';
import { resolveBatchTarget } from './batch-target.js';
import { warmCacheWithBatch } from './warm-cache.js';

const SECRET = 'sk-batch-test-secret-0123456789';

const bench = batchTestBench<BatchServer>(SECRET);
afterEach(() => bench.cleanUp());

function setUp(options: Partial<BatchServerOptions> & { spec?: string } = {}) {
  const starting = () =>
    startBatchServer({
      respondLine: (line) => ({ json: answerFor(line.user) }),
      respondChat: (req) => ({ json: answerFor(req.user) }),
      ...options,
    });
  return bench.start(starting, options.spec ?? 'openai:gpt-4o-mini');
}

function expectCleanKeyError(error: Error): void {
  expect(ErrormapError.isInstance(error) && error.code).toBe('JUDGE_UNAVAILABLE');
  expect(error.message).toMatch(/401 Incorrect API key provided/);
  expect(error.message).not.toContain(SECRET);
  // No cause: the CLI prints the message alone, not the provider error with the key in it.
  expect(error.cause).toBeUndefined();
}

describe('warmCacheWithBatch (OpenAI Files + Batches API)', () => {
  it('uploads one JSONL line per request with the exact body a synchronous judge call sends, keyed by its cache key', async () => {
    for (const spec of ['openai:gpt-4o-mini', 'openai:gpt-5-mini', 'openai-compatible:local-model']) {
      const { server: batchServer, judgeOptions } = await setUp({ spec });
      const [request] = requestsFor('What is 2+2? Model said 5.');
      const batchCache = memoryCache();
      await warmCacheWithBatch({ judgeOptions, cache: batchCache, requests: [request!], registry: memoryRegistry(), sleep: noSleep });

      expect(batchServer.uploads).toHaveLength(1);
      expect(batchServer.uploads[0]!.purpose).toBe('batch');
      const [line] = batchServer.uploads[0]!.lines;
      expect(line).toMatchObject({ method: 'POST', url: '/v1/chat/completions', task: 'error_analysis' });
      expect(batchServer.batchCreates[0]).toMatchObject({
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        input_file_id: batchServer.uploads[0]!.fileId,
      });
      expect(line!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'error_analysis', strict: true } });
      expect(line!.body.response_format.json_schema.schema.required).toContain('error_title');
      expect(line!.body.stream).toBeUndefined();

      // The same request through the synchronous judge, into an empty cache: same body on the wire, same key.
      const syncCache = memoryCache();
      const judge = createJudge({ ...judgeOptions, cache: syncCache });
      await judge.call(request!);
      expect(batchServer.chat.requests).toHaveLength(1);
      expect(line!.body).toEqual(batchServer.chat.requests[0]!.body);
      expect([...syncCache.entries.keys()]).toEqual([line!.custom_id]);
    }
  });

  it('removes the key, also base64-encoded, from an answer that echoes it before caching it', async () => {
    const echoed = Buffer.from(`api:${SECRET}`).toString('base64');
    const { judgeOptions } = await setUp({
      respondLine: (line) => ({ json: { ...answerFor(line.user), error_summary: `sent ${SECRET} as Basic ${echoed}` } }),
    });
    const { cache } = await warmInMemory(judgeOptions, requestsFor('q1'));
    const stored = JSON.stringify([...cache.entries.values()]);
    expect(stored).toMatch(/sent \[redacted\] as Basic /);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64').slice(4, 28));
  });

  it('caches valid answers so a normal judge.call is served from the cache with zero chat requests', async () => {
    const { server, judgeOptions } = await setUp();
    const requests = requestsFor('q1', 'q2', 'q3');
    const progress: string[] = [];
    const { result, cache } = await warmInMemory(judgeOptions, requests, { onProgress: (p) => progress.push(p.status) });
    expect(result).toMatchObject({ requests: 3, cachedBefore: 0, submitted: 3, answered: 3, invalid: 0, failed: 0 });
    expect(progress.at(-1)).toBe('completed');
    expect(progress.length).toBeGreaterThan(1);

    const judge = createJudge({ ...judgeOptions, cache });
    for (const request of requests) {
      const answer = await judge.call(request);
      expect(answer.cached).toBe(true);
      expect(answer.value).toEqual(answerFor(request.user));
    }
    expect(server.chat.requests).toHaveLength(0);
  });

  it('stores usage and the cost at the batch discount (half the list price)', async () => {
    const { judgeOptions } = await setUp({
      respondLine: (line) => ({ json: answerFor(line.user), usage: { prompt_tokens: 1000, completion_tokens: 200 } }),
    });
    const { result, cache } = await warmInMemory(judgeOptions, requestsFor('q1'));
    const [stored] = cache.entries.values();
    const usage = { inputTokens: 1000, outputTokens: 200 };
    expect(stored!.usage).toEqual(usage);
    const full = costOf(usage, lookupPrice('gpt-4o-mini'))!;
    expect(stored!.costUsd).toBeCloseTo(full / 2, 12);
    expect(result.costUsd).toBeCloseTo(full / 2, 12);
    expect(result.usage).toEqual(usage);
  });

  it('leaves invalid answers out of the cache, so the synchronous path (with its re-ask) answers them', async () => {
    const { server, judgeOptions } = await setUp({
      respondLine: (line): BatchLineReply =>
        line.user === 'bad-json'
          ? { text: 'I think the error is…' }
          : line.user === 'bad-shape'
            ? { json: { title: 'x' } }
            : { json: answerFor(line.user) },
    });
    const requests = requestsFor('good', 'bad-json', 'bad-shape');
    const { result, cache, registry } = await warmInMemory(judgeOptions, requests);
    expect(result).toMatchObject({ answered: 1, invalid: 2, failed: 0 });
    expect(cache.entries.size).toBe(1);

    const judge = createJudge({ ...judgeOptions, cache });
    const answers = await Promise.all(requests.map((r) => judge.call(r)));
    expect(answers.map((a) => a.cached)).toEqual([true, false, false]);
    expect(server.chat.requests).toHaveLength(2);
    const [job] = registry.records.values();
    expect(job!.collected!.errors.map((e) => e.reason).join('\n')).toMatch(/not valid JSON[\s\S]*does not match the schema/);
  });

  it('records error-file lines and lines that never came back, and caches none of them', async () => {
    const { judgeOptions } = await setUp({
      respondLine: (line): BatchLineReply =>
        line.user === 'rejected'
          ? { status: 400, message: 'context length exceeded' }
          : line.user === 'lost'
            ? { omit: true }
            : { json: answerFor(line.user) },
      finalStatus: 'expired',
    });
    const { result, cache, registry } = await warmInMemory(judgeOptions, requestsFor('ok', 'rejected', 'lost'));
    expect(result).toMatchObject({ answered: 1, invalid: 0, failed: 2 });
    const [job] = registry.records.values();
    expect(job!.collected).toMatchObject({ status: 'expired', answered: 1, failed: 2 });
    const reasons = job!.collected!.errors.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['HTTP 400: context length exceeded', 'no result (job expired)']));
    expect(cache.entries.size).toBe(1);
  });

  it('does not resubmit requests already in the cache or in a finished job', async () => {
    const { server, judgeOptions } = await setUp();
    const cache = memoryCache();
    const registry = memoryRegistry();
    const [a, b] = requestsFor('already-cached', 'new');
    await createJudge({ ...judgeOptions, cache }).call(a!);

    const first = await warmCacheWithBatch({ judgeOptions, cache, requests: [a!, b!], registry, sleep: noSleep });
    expect(first).toMatchObject({ requests: 2, cachedBefore: 1, submitted: 1, answered: 1 });
    expect(server.uploads[0]!.lines.map((l) => l.user)).toEqual(['new']);

    const again = await warmCacheWithBatch({ judgeOptions, cache, requests: [a!, b!], registry, sleep: noSleep });
    expect(again).toMatchObject({ cachedBefore: 2, submitted: 0 });
    expect(server.uploads).toHaveLength(1);
    expect(server.statusPolls).toBe(2);
  });

  it('splits into several jobs at the per-job request limit and polls with growing waits', async () => {
    const { server, judgeOptions } = await setUp({ finishOnPoll: 4 });
    const waits: number[] = [];
    const result = await warmCacheWithBatch({
      judgeOptions,
      cache: memoryCache(),
      requests: requestsFor('q1', 'q2', 'q3', 'q4', 'q5', 'q1'),
      registry: memoryRegistry(),
      maxRequestsPerJob: 2,
      pollIntervalMs: 1000,
      maxPollIntervalMs: 2000,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(server.uploads.map((u) => u.lines.length)).toEqual([2, 2, 1]);
    expect(result).toMatchObject({ requests: 5, submitted: 5, answered: 5 });
    expect(result.jobIds).toHaveLength(3);
    // Three jobs polled side by side, each waiting 1 s, 1.5 s, then the 2 s cap.
    expect(waits.sort((x, y) => x - y)).toEqual([1000, 1000, 1000, 1500, 1500, 1500, 2000, 2000, 2000]);
  });

  it('keeps the answers of an earlier job to requests this run no longer makes, so a later run asking again pays nothing', async () => {
    const { server, judgeOptions } = await setUp({ finishOnPoll: 3 });
    const cache = memoryCache();
    const registry = memoryRegistry();
    const [kept, dropped] = requestsFor('kept', 'dropped');
    await expect(warmCacheWithBatch({ judgeOptions, cache, requests: [kept!, dropped!], registry, sleep: killed })).rejects.toThrow(
      'killed',
    );

    // Rerun with other settings (another ratio or seed) that no longer asks for `dropped`: it collects the job.
    const narrower = await warmCacheWithBatch({ judgeOptions, cache, requests: [kept!], registry, sleep: noSleep });
    expect(narrower).toMatchObject({ requests: 1, submitted: 0, resumed: 1, answered: 1, invalid: 0, failed: 0 });
    expect([...cache.entries.values()].map((c) => c.task)).toEqual(['error_analysis', 'error_analysis']);

    // Back to the original settings: nothing new is batched and both answers come from the cache.
    const original = await warmCacheWithBatch({ judgeOptions, cache, requests: [kept!, dropped!], registry, sleep: noSleep });
    expect(original).toMatchObject({ cachedBefore: 2, submitted: 0 });
    const judge = createJudge({ ...judgeOptions, cache });
    for (const request of [kept!, dropped!]) {
      const answer = await judge.call(request);
      expect(answer.cached).toBe(true);
      expect(answer.value).toEqual(answerFor(request.user));
    }
    expect(server.uploads).toHaveLength(1);
    expect(server.chat.requests).toHaveLength(0);
  });

  it('batches again, in a later run, the requests a collected job returned no usable answer for', async () => {
    const asked = new Map<string, number>();
    const { server, judgeOptions } = await setUp({
      respondLine: (line): BatchLineReply => {
        const times = (asked.get(line.user) ?? 0) + 1;
        asked.set(line.user, times);
        if (times === 1 && line.user === 'lost') return { omit: true };
        if (times === 1 && line.user === 'bad') return { text: 'not json' };
        return { json: answerFor(line.user) };
      },
    });
    const cache = memoryCache();
    const registry = memoryRegistry();
    const requests = requestsFor('ok', 'lost', 'bad');
    const first = await warmCacheWithBatch({ judgeOptions, cache, requests, registry, sleep: noSleep });
    expect(first).toMatchObject({ submitted: 3, answered: 1, invalid: 1, failed: 1 });

    const second = await warmCacheWithBatch({ judgeOptions, cache, requests, registry, sleep: noSleep });
    expect(second).toMatchObject({ cachedBefore: 1, submitted: 2, answered: 2, invalid: 0, failed: 0 });
    expect(server.uploads[1]!.lines.map((l) => l.user).sort()).toEqual(['bad', 'lost']);

    const third = await warmCacheWithBatch({ judgeOptions, cache, requests, registry, sleep: noSleep });
    expect(third).toMatchObject({ cachedBefore: 3, submitted: 0 });
    expect(server.uploads).toHaveLength(2);
  });

  it('turns a 401 that quotes the key into a clean JUDGE_UNAVAILABLE error without the key, in every client method', async () => {
    const { judgeOptions } = await setUp({ rejectKeys: true });
    const client = await createOpenAIBatchClient(resolveBatchTarget(judgeOptions), { maxRetries: 0 });
    const attempts = [
      () => client.submit([{ key: 'k1', task: 'error_analysis', body: { model: 'gpt-4o-mini' } }]),
      () => client.status('batch_1'),
      () => client.download('file-1'),
    ];
    for (const attempt of attempts) expectCleanKeyError(await rejectionOf(attempt()));

    const registry = memoryRegistry();
    const warm = warmCacheWithBatch({ judgeOptions, cache: memoryCache(), requests: requestsFor('q1'), registry, sleep: noSleep });
    expectCleanKeyError(await rejectionOf(warm));
    expect(registry.records.size).toBe(0);
  });

  it('refuses providers without a supported batch API with a ConfigError', async () => {
    const attempt = warmCacheWithBatch({
      judgeOptions: { spec: 'google:gemini-2.5-flash', apiKey: SECRET, env: {} },
      cache: memoryCache(),
      requests: requestsFor('q1'),
      registry: memoryRegistry(),
    });
    await expect(attempt).rejects.toSatisfy((e) => ErrormapError.isInstance(e) && e.code === 'CONFIG_INVALID' && /--batch/.test(e.message));
  });
});
