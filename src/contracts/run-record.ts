import { z } from 'zod';
import type { NodeRatings } from './taxonomy-node.js';
import type { TaskUsage } from './usage.js';

export type { TaskUsage };

/** Format version of the run record and database; bump on incompatible change and migrate on read. */
export const RUN_FORMAT_VERSION = 1;

/**
 * `incomplete`: finished, with every file written, but some sampled failures are not analysed or not
 * placed (see `incomplete`).
 */
export const runStatusSchema = z.enum(['running', 'finished', 'incomplete', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** What an incomplete run is missing and why: failures the judge could not analyse, analysed ones it could not classify. */
export const incompleteSummarySchema = z.object({
  unanalysed: z.number(),
  unplaced: z.number(),
  /** Distinct reasons with how many failures each, most frequent first (at most 10). */
  reasons: z.array(z.object({ reason: z.string(), failures: z.number() })),
  /** One readable sentence, as printed at the end of the run. */
  summary: z.string(),
});
export type IncompleteSummary = z.infer<typeof incompleteSummarySchema>;

/** Usage per judge task, for the run record and the progress line. */
export const taskUsageSchema: z.ZodType<TaskUsage> = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Requests actually sent (including retries and re-asks). */
  calls: z.number(),
  /** Of those, requests that repeated a failed one (absent in runs of errormap before it counted them). */
  retries: z.number().default(0),
  /** Answers served from the cache (no request sent). */
  cachedCalls: z.number(),
  failedCalls: z.number(),
  /** Of inputTokens, read from and written to the provider's prompt cache (absent in runs recorded before they were counted). */
  cachedInputTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
  /** Absent: the judge's price is unknown (older runs recorded 0 for that). */
  costUsd: z.number().optional(),
});

/** One divided node's ratings (taxonomy/ratings.ts). */
const nodeRatingsSchema: z.ZodType<NodeRatings> = z.object({
  nodeId: z.string(),
  path: z.array(z.string()),
  ratings: z.array(
    z.object({
      task: z.enum(['taxonomy_update', 'taxonomy_review']),
      batch: z.number().int().optional(),
      rating: z.number(),
      explanation: z.string(),
      suggestions: z.string(),
    }),
  ),
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
    /** Every prediction read, unscored ones included. */
    predictions: z.number(),
    /**
     * Of those, predictions with no usable score (NaN, missing, an errored or cancelled sample): in no threshold,
     * failure or rate. Absent in runs of errormap before it counted them apart (it took them as failures with score 0).
     */
    unscored: z.number().optional(),
    /** Why they have no score, with how many predictions each, most frequent first (e.g. `metric "acc" is NaN`). */
    unscoredReasons: z.array(z.object({ reason: z.string(), predictions: z.number() })).optional(),
    failures: z.number(),
    sampled: z.number(),
    analysed: z.number(),
    noError: z.number(),
    analysisFailed: z.number(),
    categories: z.number(),
  }),
  usage: z.record(z.string(), taskUsageSchema).default({}),
  /** What is missing and why, when status is "incomplete". */
  incomplete: incompleteSummarySchema.optional(),
  /** What went wrong, when status is "failed". */
  error: z.string().optional(),
  /** Things the user should know about the result (failed calls, taxonomy fallbacks, skipped data). */
  warnings: z.array(z.string()).optional(),
  /** --budget: the limit, what was spent against it, and the calls it kept from being sent. */
  budget: z.object({ limitUsd: z.number(), spentUsd: z.number(), refusedCalls: z.number().int() }).optional(),
  /** Calls and tokens saved by --precheck label. */
  precheck: z.object({ filed: z.number(), callsSaved: z.number(), estimatedTokensSaved: z.number() }).optional(),
  promptVersions: z.record(z.string(), z.string()).default({}),
  /** The taxonomy update and review calls' 0–100 ratings of each divided node's categories. */
  taxonomyRatings: z.array(nodeRatingsSchema).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
