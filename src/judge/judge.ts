import type { z } from 'zod';
import type { JudgeTask, Usage } from '../contracts/usage.js';
import { ErrormapError } from '../errors.js';

export type { JudgeTask, Usage };

export interface JudgeRequest<T> {
  task: JudgeTask;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /**
   * Characters at the start of `user` that sibling requests share (the failures of one example):
   * where the provider's prompt cache should end. A hint only: not part of the call key.
   */
  cacheablePrefix?: number;
}

export interface JudgeResult<T> {
  value: T;
  usage: Usage;
  /** True when the answer came from the run's call cache (no request was sent). */
  cached: boolean;
  /** Cost in USD when the price is known; undefined otherwise. */
  costUsd?: number;
}

/** A judge LLM behind one provider:model. Built by src/judge/registry.ts. */
export interface Judge {
  /** "provider:model", as given to --judge. */
  readonly id: string;
  /** Sends the request (or answers from cache). Throws JudgeCallError when retries and re-asks are exhausted. */
  call<T>(request: JudgeRequest<T>): Promise<JudgeResult<T>>;
}

/** What the call cache keeps per finished call. Failed calls are not cached as answers. */
export interface CachedCall {
  task: JudgeTask;
  judge: string;
  /** The validated answer, as JSON. */
  response: unknown;
  usage: Usage;
  costUsd?: number;
}

/** Persistent cache of finished calls, keyed by a hash of provider, model, parameters, messages and schema. */
export interface CallCache {
  get(key: string): CachedCall | undefined;
  put(key: string, call: CachedCall): void;
}

/** What is known about a judge call that failed; nothing here holds a key. */
export interface JudgeCallFailure {
  task: JudgeTask;
  /** Readable reason: HTTP status and message, network failure, or the validation problem. */
  reason: string;
  /** True when no retry can fix it and no other call will fare better (rejected key, unknown model, unreachable server). */
  unavailable?: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Canonical provider name. */
  provider?: string;
  /** The URL called, without credentials or query. */
  url?: string;
}

/**
 * Raised when a call keeps failing. A failure of one call (code JUDGE_CALL_FAILED) is recorded by the
 * caller, which goes on; an unavailable judge (JUDGE_UNAVAILABLE) stops the run.
 */
export class JudgeCallError extends ErrormapError {
  readonly task: JudgeTask;
  readonly reason: string;
  readonly unavailable: boolean;
  readonly status?: number;
  readonly provider?: string;
  readonly url?: string;
  constructor(failure: JudgeCallFailure, options?: { cause?: unknown }) {
    super(failure.unavailable ? 'JUDGE_UNAVAILABLE' : 'JUDGE_CALL_FAILED', `${failure.task} call failed: ${failure.reason}`, options);
    this.name = 'JudgeCallError';
    this.task = failure.task;
    this.reason = failure.reason;
    this.unavailable = failure.unavailable ?? false;
    this.status = failure.status;
    this.provider = failure.provider;
    this.url = failure.url;
  }
  static override isInstance(e: unknown): e is JudgeCallError {
    return e instanceof JudgeCallError;
  }
}

/** True for a failed call whose caller should record it and go on; an unavailable judge must stop the run instead. */
export function isRecordableCallFailure(e: unknown): e is JudgeCallError {
  return JudgeCallError.isInstance(e) && !e.unavailable;
}
