import type { TaskUsage } from '../contracts/usage.js';

export type { TaskUsage };

/** Format version of run.json and errormap.db; bump on incompatible change and migrate on read. */
export const RUN_FORMAT_VERSION = 1;

/** `incomplete`: finished, with every file written, but some sampled failures are not analysed or not placed (see `incomplete`). */
export type RunStatus = 'running' | 'finished' | 'incomplete' | 'failed';

/** What an incomplete run is missing and why: failures the judge could not analyse, analysed ones it could not classify. */
export interface IncompleteSummary {
  unanalysed: number;
  unplaced: number;
  /** Distinct reasons with how many failures each, most frequent first (at most 10). */
  reasons: { reason: string; failures: number }[];
  /** One readable sentence, as printed at the end of the run. */
  summary: string;
}

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
  /** What is missing and why, when status is "incomplete". */
  incomplete?: IncompleteSummary;
  /** What went wrong, when status is "failed". */
  error?: string;
  /** Things the user should know about the result (failed calls, taxonomy fallbacks, skipped data). */
  warnings?: string[];
  /** Calls and tokens saved by --precheck label. */
  precheck?: { filed: number; callsSaved: number; estimatedTokensSaved: number };
  promptVersions: Record<string, string>;
}
