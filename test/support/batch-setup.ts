// Setup shared by the batch-mode tests (OpenAI and Anthropic). Not a test file, so it stays free of
// vitest (the build compiles it) and of test/support (outside the build's rootDir): the tests pass
// their scripted servers in and register `cleanUp` with afterEach themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchJobRecord, type BatchJobRegistry, batchJobRegistryOf } from '../../src/judge/batch/batch-job-registry.js';
import { type WarmCacheOptions, type WarmCacheResult, warmCacheWithBatch } from '../../src/judge/batch/warm-cache.js';
import type { JudgeOptions } from '../../src/judge/create-judge.js';
import type { CachedCall, CallCache, JudgeRequest } from '../../src/judge/judge.js';
import { type ErrorAnalysisAnswer, errorAnalysisSchema } from '../../src/prompts/response-schemas.js';
import { RunStore } from '../../src/store/run-store.js';

/** The scripted judge's answer to a failure: derived from the user text, so each request has its own. */
export function answerFor(user: string): ErrorAnalysisAnswer {
  return {
    criteria: [{ criterion: 'correct result', present: true, quality: 'incorrect', evidence: user.slice(0, 10), comment: 'wrong' }],
    has_error: true,
    error_title: `Error in ${user}`,
    error_summary: 'The answer is wrong.',
  };
}

export function requestsFor(...users: string[]): JudgeRequest<unknown>[] {
  return users.map((user) => ({
    task: 'error_analysis',
    system: 'You analyse failures of language models.',
    user,
    schema: errorAnalysisSchema,
  }));
}

export function memoryCache(): CallCache & { entries: Map<string, CachedCall> } {
  const entries = new Map<string, CachedCall>();
  return { entries, get: (k) => entries.get(k), put: (k, v) => void entries.set(k, v) };
}

export function memoryRegistry(): BatchJobRegistry & { records: Map<string, BatchJobRecord> } {
  const records = new Map<string, BatchJobRecord>();
  return { records, jobs: () => [...records.values()], save: (job) => void records.set(job.jobId, structuredClone(job)) };
}

export const noSleep = async (): Promise<void> => {};

/** A sleep that stands for the process being killed while it waits for a job. */
export const killed = async (): Promise<void> => {
  throw new Error('killed');
};

/** The rejection of a promise that must reject. */
export async function rejectionOf(attempt: Promise<unknown>): Promise<Error> {
  return attempt.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

/**
 * One scripted server at a time plus temporary run folders; `start` closes the previous server, and
 * `cleanUp` (for afterEach) closes the last one and removes the folders.
 */
export function batchTestBench<Server extends { baseUrl: string; close(): Promise<void> }>(apiKey: string) {
  let server: Server | undefined;
  const dirs: string[] = [];
  return {
    async start(starting: () => Promise<Server>, spec: string): Promise<{ server: Server; judgeOptions: JudgeOptions }> {
      await server?.close();
      server = undefined;
      server = await starting();
      const judgeOptions: JudgeOptions = { spec, baseUrl: server.baseUrl, apiKey, env: {}, maxOutputTokens: 800 };
      return { server, judgeOptions };
    },
    tempDir(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async cleanUp(): Promise<void> {
      await server?.close();
      server = undefined;
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Warms a fresh in-memory cache and registry for `requests`, without waiting between polls. */
export async function warmInMemory(judgeOptions: JudgeOptions, requests: JudgeRequest<unknown>[], more: Partial<WarmCacheOptions> = {}) {
  const cache = memoryCache();
  const registry = memoryRegistry();
  const result = await warmCacheWithBatch({ judgeOptions, cache, requests, registry, sleep: noSleep, ...more });
  return { result, cache, registry };
}

/**
 * Warms a run store's cache, is killed at the first wait for the job, then runs again on a freshly
 * opened store. `afterKill` runs between the two (for checks); the reopened store stays open for the
 * caller to inspect and close.
 */
export async function warmKilledThenResumed(options: {
  judgeOptions: JudgeOptions;
  requests: JudgeRequest<unknown>[];
  dir: string;
  afterKill: (killedRun: Promise<unknown>) => Promise<void>;
}): Promise<{ result: WarmCacheResult; store: RunStore }> {
  const { judgeOptions, requests, dir } = options;
  const first = RunStore.open(dir);
  const killedRun = warmCacheWithBatch({
    judgeOptions,
    cache: first.callCache(),
    requests,
    registry: batchJobRegistryOf(first),
    sleep: killed,
  });
  await options.afterKill(killedRun);
  first.close();
  const store = RunStore.open(dir);
  const result = await warmCacheWithBatch({
    judgeOptions,
    cache: store.callCache(),
    requests,
    registry: batchJobRegistryOf(store),
    sleep: noSleep,
  });
  return { result, store };
}
