import { z } from 'zod';
import type { TaskUsage } from '../contracts/usage.js';

export type { TaskUsage };

/** Format version of the run record and database; bump on incompatible change and migrate on read. */
export const RUN_FORMAT_VERSION = 1;

export const runStatusSchema = z.enum(['running', 'finished', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Usage per judge task, for the run record and the progress line. */
export const taskUsageSchema: z.ZodType<TaskUsage> = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Requests actually sent (including retries and re-asks). */
  calls: z.number(),
  /** Answers served from the cache (no request sent). */
  cachedCalls: z.number(),
  failedCalls: z.number(),
  costUsd: z.number(),
});

/**
 * The run record (its file is named in run-dir.ts). Never holds a secret. Fields a later errormap adds are kept (loose object),
 * and collections an earlier one may not have written default to empty.
 */
export const runRecordSchema = z.looseObject({
  formatVersion: z.number().int(),
  status: runStatusSchema,
  tool: z.object({ name: z.literal('errormap'), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Resolved settings, minus any secret. */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** "provider:model" or "offline". */
  judge: z.string(),
  offline: z.boolean(),
  inputs: z.array(z.object({ path: z.string(), format: z.string(), sha256: z.string(), rows: z.number() })).default([]),
  counts: z.object({
    predictions: z.number(),
    failures: z.number(),
    sampled: z.number(),
    analysed: z.number(),
    noError: z.number(),
    analysisFailed: z.number(),
    categories: z.number(),
  }),
  usage: z.record(z.string(), taskUsageSchema).default({}),
  /** What went wrong, when status is "failed". */
  error: z.string().optional(),
  /** Things the user should know about the result (failed calls, taxonomy fallbacks, skipped data). */
  warnings: z.array(z.string()).optional(),
  /** Calls and tokens saved by --precheck label. */
  precheck: z.object({ filed: z.number(), callsSaved: z.number(), estimatedTokensSaved: z.number() }).optional(),
  promptVersions: z.record(z.string(), z.string()).default({}),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
