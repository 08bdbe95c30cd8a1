import type { JudgeOptions } from '../create-judge.js';
import { extractJson } from '../json-extract.js';
import type { CallCache, JudgeRequest, Usage } from '../judge.js';
import { batchCostOf } from '../prices.js';
import { redactKnownSecrets, redactSecrets } from '../retry-policy.js';
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
  /** Batch spending is added here, so the run record's usage includes it (pass the judge's meter). */
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
 * exactly as `judge.call` would send it, skips those already cached or in a recorded job still running,
 * submits the rest, polls until the jobs finish, and caches every answer that validates (and every JSON
 * answer of an earlier job to a request this run no longer makes). Requests without a valid answer are
 * not cached: the normal synchronous call (with its re-ask) handles them, and a later run may batch them again.
 */
export async function warmCacheWithBatch(options: WarmCacheOptions): Promise<WarmCacheResult> {
  const plan = await planBatch(options);
  if (plan.toSubmit.length === 0 && plan.openJobs.length === 0) return plan.result;
  const client = options.client ?? (await batchClientFor(plan.target));
  await submitJobs(plan, client, options);
  await Promise.all(
    plan.openJobs.map(async (job) => collectJob(job, await pollUntilFinished(job, client, options), plan, client, options)),
  );
  return plan.result;
}

/** What a warm-up has to do, and the result it fills in as it goes. */
interface BatchPlan {
  target: BatchTarget;
  /** Every distinct request of this run, by call key. */
  byKey: Map<string, { line: BatchLine; request: JudgeRequest<unknown> }>;
  /** Jobs of earlier runs still uncollected, then the jobs submitted now. */
  openJobs: BatchJobRecord[];
  /** Lines neither cached nor in an open job. */
  toSubmit: BatchLine[];
  result: WarmCacheResult;
}

/** Renders and keys every request (equal requests collapse into one line) and decides which need a new job. */
async function planBatch(options: WarmCacheOptions): Promise<BatchPlan> {
  const target = resolveBatchTarget(options.judgeOptions);
  const render = createBatchLineRenderer(target);
  const byKey: BatchPlan['byKey'] = new Map();
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
  // A request in a job still running is polled, not paid for again. A collected job's answers are in the
  // cache already, so a request still pending after one had no usable answer: it may go in a new job.
  const openJobs = options.registry.jobs().filter((j) => j.judge === target.judgeId && !j.collected);
  const inJobs = new Set(openJobs.flatMap((j) => j.keys));
  const wanted = new Set(pending.map((p) => p.line.key));
  result.resumed = openJobs.flatMap((j) => j.keys).filter((k) => wanted.has(k)).length;
  const toSubmit = pending.filter((p) => !inJobs.has(p.line.key)).map((p) => p.line);
  return { target, byKey, openJobs, toSubmit, result };
}

/** Submits the lines in jobs within the provider's limits, recording each job before it is polled. */
async function submitJobs(plan: BatchPlan, client: BatchClient, options: WarmCacheOptions): Promise<void> {
  const endpoint = chatEndpointOf(plan.target);
  const jobs = splitIntoJobs(plan.toSubmit, endpoint, options.maxRequestsPerJob ?? 50_000, options.maxBytesPerJob ?? 190_000_000);
  for (const lines of jobs) {
    const { jobId, inputFileId } = await client.submit(lines);
    const record: BatchJobRecord = {
      jobId,
      inputFileId,
      judge: plan.target.judgeId,
      keys: lines.map((l) => l.key),
      tasks: Object.fromEntries(lines.map((l) => [l.key, l.task])),
      submittedAt: new Date().toISOString(),
    };
    options.registry.save(record);
    plan.openJobs.push(record);
    plan.result.submitted += lines.length;
  }
  plan.result.jobIds = plan.openJobs.map((j) => j.jobId);
}

/** Polls a job until it finishes, waiting longer each time (×1.5, up to the maximum interval). */
async function pollUntilFinished(job: BatchJobRecord, client: BatchClient, options: WarmCacheOptions): Promise<BatchJobStatus> {
  const sleep = options.sleep ?? realSleep;
  const firstInterval = Math.max(0, options.pollIntervalMs ?? 30_000);
  const maxInterval = Math.max(firstInterval, options.maxPollIntervalMs ?? 600_000);
  let interval = firstInterval;
  for (;;) {
    const status = await client.status(job.jobId);
    const progress = {
      jobId: job.jobId,
      status: status.status,
      total: status.total || job.keys.length,
      completed: status.completed,
      failed: status.failed,
    };
    if (status.finished) {
      options.onProgress?.(progress);
      return status;
    }
    options.onProgress?.({ ...progress, nextPollMs: interval });
    await sleep(interval);
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

/** Caches every valid answer of a finished job, records what came back in the registry and counts it. */
async function collectJob(
  job: BatchJobRecord,
  status: BatchJobStatus,
  { target, byKey, result }: BatchPlan,
  client: BatchClient,
  options: WarmCacheOptions,
): Promise<void> {
  const readOutput = client.readOutput ?? readBatchOutput;
  const errors: { key: string; reason: string }[] = [];
  const seen = new Set<string>();
  const answeredKeys: string[] = [];
  const invalidKeys: string[] = [];
  const texts = await Promise.all([status.outputFileId, status.errorFileId].map((id) => (id ? client.download(id) : '')));
  for (const outcome of readOutput(texts.join('\n'))) {
    seen.add(outcome.key);
    if (outcome.kind === 'error') {
      errors.push({ key: outcome.key, reason: redactSecrets(outcome.reason, [target.apiKey]) });
      continue;
    }
    const request = byKey.get(outcome.key)?.request;
    const task = request?.task ?? job.tasks?.[outcome.key];
    const cost = batchCostOf(outcome.usage, target.price);
    result.usage.inputTokens += outcome.usage.inputTokens;
    result.usage.outputTokens += outcome.usage.outputTokens;
    if (cost !== undefined) result.costUsd = (result.costUsd ?? 0) + cost;
    if (task) {
      options.meter?.requestSent(task);
      options.meter?.tokensUsed(task, outcome.usage, cost);
    }
    // A server that echoes the key into an answer must not get it into the cache.
    const answer = readAnswer(redactKnownSecrets(outcome.text, [target.apiKey]), request);
    if (!answer.ok || !task) {
      invalidKeys.push(outcome.key);
      errors.push({ key: outcome.key, reason: answer.ok ? 'no task recorded for this key: the answer cannot be cached' : answer.reason });
      continue;
    }
    // An answer to a request this run does not make is kept (it was paid for) unless the key holds one
    // already; `judge.call` validates cache hits against its schema when a later run asks for it.
    if (request || options.cache.get(outcome.key) === undefined) {
      options.cache.put(outcome.key, { task, judge: target.judgeId, response: answer.value, usage: outcome.usage, costUsd: cost });
    }
    answeredKeys.push(outcome.key);
  }
  const lost = job.keys.filter((k) => !seen.has(k));
  for (const key of lost) errors.push({ key, reason: status.error ?? `no result (job ${status.status})` });
  options.registry.save({
    ...job,
    collected: {
      at: new Date().toISOString(),
      status: status.status,
      answered: answeredKeys.length,
      invalid: invalidKeys.length,
      failed: errors.length - invalidKeys.length,
      errors,
      jobError: status.error,
    },
  });
  // Count only requests this run asked for (an old job may hold others).
  const wantedHere = (key: string) => byKey.has(key);
  const invalidHere = invalidKeys.filter(wantedHere).length;
  result.answered += answeredKeys.filter(wantedHere).length;
  result.invalid += invalidHere;
  result.failed += errors.filter((e) => wantedHere(e.key)).length - invalidHere;
}

/**
 * The JSON of a batch answer, validated against the request's schema when this run makes the request;
 * otherwise (an old job's answer) only parsed, since the schema is not known here.
 */
function readAnswer(
  text: string,
  request: JudgeRequest<unknown> | undefined,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const extracted = extractJson(text);
  if (!extracted.ok) return { ok: false, reason: `the answer is not valid JSON (${extracted.error})` };
  if (request && !request.schema.safeParse(extracted.value).success) return { ok: false, reason: 'the answer does not match the schema' };
  return { ok: true, value: extracted.value };
}
