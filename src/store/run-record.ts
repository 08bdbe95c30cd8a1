import type { TaskUsage } from '../contracts/usage.js';

export type { TaskUsage };

/** Format version of run.json and errormap.db; bump on incompatible change and migrate on read. */
export const RUN_FORMAT_VERSION = 1;

export type RunStatus = 'running' | 'finished' | 'failed';

/** The content of run.json. Never holds a secret. */
export interface RunRecord {
  formatVersion: number;
  status: RunStatus;
  tool: { name: 'errormap'; version: string };
  startedAt: string;
  finishedAt?: string;
  /** Resolved settings, minus any secret. */
  settings: Record<string, unknown>;
  /** "provider:model" or "offline". */
  judge: string;
  offline: boolean;
  inputs: { path: string; format: string; sha256: string; rows: number }[];
  counts: {
    predictions: number;
    failures: number;
    sampled: number;
    analysed: number;
    noError: number;
    analysisFailed: number;
    categories: number;
  };
  usage: Record<string, TaskUsage>;
  /** What went wrong, when status is "failed". */
  error?: string;
  /** Things the user should know about the result (failed calls, taxonomy fallbacks, skipped data). */
  warnings?: string[];
  /** Calls and tokens saved by --precheck label. */
  precheck?: { filed: number; callsSaved: number; estimatedTokensSaved: number };
  promptVersions: Record<string, string>;
}
