import type { z } from 'zod';
import type { JudgeTask, Usage } from '../contracts/usage.js';

export type { JudgeTask, Usage };

export interface JudgeRequest<T> {
  task: JudgeTask;
  system: string;
  user: string;
  schema: z.ZodType<T>;
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

/** Raised when a call keeps failing; the caller records `reason` and goes on. */
export class JudgeCallError extends Error {
  readonly task: JudgeTask;
  readonly reason: string;
  constructor(task: JudgeTask, reason: string, options?: { cause?: unknown }) {
    super(`${task} call failed: ${reason}`, options);
    this.name = 'JudgeCallError';
    this.task = task;
    this.reason = reason;
  }
  static isInstance(e: unknown): e is JudgeCallError {
    return e instanceof JudgeCallError;
  }
}
