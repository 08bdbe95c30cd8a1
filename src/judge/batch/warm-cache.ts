import type { JudgeOptions } from '../create-judge.js';
import type { CallCache, JudgeRequest, Usage } from '../judge.js';
import { extractJson } from '../json-extract.js';
import { batchCostOf } from '../prices.js';
import type { UsageMeter } from '../usage-meter.js';
import { createAnthropicBatchClient } from './anthropic-batch-client.js';
import { type BatchClient, type BatchJobStatus, chatEndpointOf, createOpenAIBatchClient, toBatchJsonl } from './batch-client.js';
import type { BatchJobRecord, BatchJobRegistry } from './batch-job-registry.js';
import { readBatchOutput } from './batch-output.js';
import { type BatchTarget, resolveBatchTarget } from './batch-target.js';
import { type BatchLine, createBatchLineRenderer } from './render-batch-line.js';

export interface BatchProgress {
  jobId: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
  /** Milliseconds until the next poll (undefined once the job is finished). */
  nextPollMs?: number;
}

export interface WarmCacheOptions {
  /** The options the judge of this run is built with: the batch renders and keys requests exactly as it would. */
  judgeOptions: JudgeOptions;
  cache: CallCache;
  requests: readonly JudgeRequest<unknown>[];
  /** Where submitted jobs are recorded (`batchJobRegistryOf(store)`). */
  registry: BatchJobRegistry;
  onProgress?: (progress: BatchProgress) => void;
  /** First wait between status polls (default 30 s); grows ×1.5 per poll up to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Default 10 minutes. */
  maxPollIntervalMs?: number;
  /** Requests per job (OpenAI's limit is 50 000). */
  maxRequestsPerJob?: number;
  /** Input file bytes per job (OpenAI's limit is 200 MB). */
  maxBytesPerJob?: number;
  /** Batch spending is added here, so run.json's usage includes it (pass the judge's meter). */
  meter?: UsageMeter;
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests; default: Anthropic's Message Batches for anthropic judges, else the OpenAI Files + Batches API. */
  client?: BatchClient;
}

export interface WarmCacheResult {
  /** Distinct requests (equal requests share one key and one answer). */
  requests: number;
  /** Already answered in the cache: not submitted. */
  cachedBefore: number;
  /** Requests sent in new jobs by this call. */
  submitted: number;
  /** Requests still in a job recorded by an earlier (killed) run, polled instead of resubmitted. */
  resumed: number;
  /** Answers that validated and are now in the cache. */
  answered: number;
  /** Answers that came back but failed JSON parsing or the schema (left to the synchronous path). */
  invalid: number;
  /** Requests the provider reported as failed or that never came back. */
  failed: number;
  jobIds: string[];
  usage: Usage;
  /** At the batch discount, when the price is known. */
  costUsd?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The batch API of the judge's provider. */
async function batchClientFor(target: BatchTarget): Promise<BatchClient> {
  return target.provider === 'anthropic' ? createAnthropicBatchClient(target) : createOpenAIBatchClient(target);
}

/** Splits lines into jobs within the provider's request and byte limits, keeping their order. */
export function splitIntoJobs(lines: readonly BatchLine[], endpoint: string, maxRequests: number, maxBytes: number): BatchLine[][] {
  const jobs: BatchLine[][] = [];
  let current: BatchLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(toBatchJsonl([line], endpoint));
    if (current.length > 0 && (current.length >= maxRequests || bytes + size > maxBytes)) {
      jobs.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) jobs.push(current);
  return jobs;
}

/**
 * Warms the call cache through the provider's batch API (about half the price): renders every request
 * exactly as `judge.call` would send it, skips those already cached or already in a recorded job,
 * submits the rest, polls until the jobs finish, and caches every answer that validates. Requests
 * without a valid answer are simply not cached: the normal synchronous call (with its re-ask) handles them.
 */
export async function warmCacheWithBatch(options: WarmCacheOptions): Promise<WarmCacheResult> {
  const target = resolveBatchTarget(options.judgeOptions);
  const sleep = options.sleep ?? realSleep;
  const render = createBatchLineRenderer(target);

  // Render and key every request; equal requests collapse into one line.
  const byKey = new Map<string, { line: BatchLine; request: JudgeRequest<unknown> }>();
  for (const request of options.requests) {
    const line = await render(request);
    if (!byKey.has(line.key)) byKey.set(line.key, { line, request });
  }
  const isCached = (key: string, request: JudgeRequest<unknown>) => {
    const hit = options.cache.get(key);
    return hit !== undefined && request.schema.safeParse(hit.response).success;
  };
  const pending = [...byKey.values()].filter(({ line, request }) => !isCached(line.key, request));
  const result: WarmCacheResult = {
    requests: byKey.size,
    cachedBefore: byKey.size - pending.length,
    submitted: 0,
    resumed: 0,
    answered: 0,
    invalid: 0,
    failed: 0,
    jobIds: [],
    usage: { inputTokens: 0, outputTokens: 0 },
  };

  // A request already in a recorded job (finished or not) is never paid for again.
  const ourJobs = options.registry.jobs().filter((j) => j.judge === target.judgeId);
  const inJobs = new Set(ourJobs.flatMap((j) => j.keys));
  const openJobs = ourJobs.filter((j) => !j.collected);
  const wanted = new Set(pending.map((p) => p.line.key));
  result.resumed = openJobs.flatMap((j) => j.keys).filter((k) => wanted.has(k)).length;
  const toSubmit = pending.filter((p) => !inJobs.has(p.line.key)).map((p) => p.line);
  if (toSubmit.length === 0 && openJobs.length === 0) return result;

  const client = options.client ?? (await batchClientFor(target));
  const readOutput = client.readOutput ?? readBatchOutput;
  const endpoint = chatEndpointOf(target);
  for (const lines of splitIntoJobs(toSubmit, endpoint, options.maxRequestsPerJob ?? 50_000, options.maxBytesPerJob ?? 190_000_000)) {
    const { jobId, inputFileId } = await client.submit(lines);
    const record: BatchJobRecord = {
      jobId,
      inputFileId,
      judge: target.judgeId,
      keys: lines.map((l) => l.key),
      submittedAt: new Date().toISOString(),
    };
    options.registry.save(record);
    openJobs.push(record);
    result.submitted += lines.length;
  }
  result.jobIds = openJobs.map((j) => j.jobId);

  const firstInterval = Math.max(0, options.pollIntervalMs ?? 30_000);
  const maxInterval = Math.max(firstInterval, options.maxPollIntervalMs ?? 600_000);
  const requestOf = (key: string) => byKey.get(key)?.request;

  await Promise.all(
    openJobs.map(async (job) => {
      let interval = firstInterval;
      let status: BatchJobStatus;
      for (;;) {
        status = await client.status(job.jobId);
        const progress = {
          jobId: job.jobId,
          status: status.status,
          total: status.total || job.keys.length,
          completed: status.completed,
          failed: status.failed,
        };
        if (status.finished) {
          options.onProgress?.(progress);
          break;
        }
        options.onProgress?.({ ...progress, nextPollMs: interval });
        await sleep(interval);
        interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
      }
      await collect(job, status);
    }),
  );
  return result;

  async function collect(job: BatchJobRecord, status: BatchJobStatus): Promise<void> {
    const errors: { key: string; reason: string }[] = [];
    const seen = new Set<string>();
    let answered = 0;
    let invalid = 0;
    const texts = await Promise.all([status.outputFileId, status.errorFileId].map((id) => (id ? client.download(id) : '')));
    for (const outcome of readOutput(texts.join('\n'))) {
      seen.add(outcome.key);
      if (outcome.kind === 'error') {
        errors.push({ key: outcome.key, reason: outcome.reason });
        continue;
      }
      const request = requestOf(outcome.key);
      const cost = batchCostOf(outcome.usage, target.price);
      result.usage.inputTokens += outcome.usage.inputTokens;
      result.usage.outputTokens += outcome.usage.outputTokens;
      if (cost !== undefined) result.costUsd = (result.costUsd ?? 0) + cost;
      if (request) {
        options.meter?.requestSent(request.task);
        options.meter?.tokensUsed(request.task, outcome.usage, cost);
      }
      // An answer to a request this run no longer makes cannot be validated: leave it out.
      if (!request) continue;
      const extracted = extractJson(outcome.text);
      const parsed = extracted.ok ? request.schema.safeParse(extracted.value) : undefined;
      if (!extracted.ok || !parsed?.success) {
        invalid += 1;
        errors.push({
          key: outcome.key,
          reason: extracted.ok ? 'the answer does not match the schema' : `the answer is not valid JSON (${extracted.error})`,
        });
        continue;
      }
      options.cache.put(outcome.key, {
        task: request.task,
        judge: target.judgeId,
        response: extracted.value,
        usage: outcome.usage,
        costUsd: cost,
      });
      answered += 1;
    }
    const lost = job.keys.filter((k) => !seen.has(k));
    for (const key of lost) errors.push({ key, reason: status.error ?? `no result (job ${status.status})` });
    const failed = errors.length - invalid;
    options.registry.save({
      ...job,
      collected: { at: new Date().toISOString(), status: status.status, answered, invalid, failed, errors, jobError: status.error },
    });
    // Count only requests this run asked for (an old job may hold others).
    const wantedHere = (key: string) => byKey.has(key);
    result.answered += answered;
    result.invalid += invalid;
    result.failed += errors.filter((e) => wantedHere(e.key)).length - invalid;
  }
}
