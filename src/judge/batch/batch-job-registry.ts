import type { JudgeTask } from '../judge.js';

/** One submitted provider batch job, recorded the moment it exists so a killed run polls it again. */
export interface BatchJobRecord {
  jobId: string;
  inputFileId: string;
  /** The judge's `provider:model` id. */
  judge: string;
  /** Call keys (custom_ids) submitted in this job. */
  keys: string[];
  /**
   * The task of each key, so answers can be cached even when a later run collecting the job no longer
   * asks for them (other ratio, seed or prompt). Absent in records written before it existed.
   */
  tasks?: Record<string, JudgeTask>;
  submittedAt: string;
  /** Set once its results were read into the cache: never polled or collected again. */
  collected?: {
    at: string;
    status: string;
    answered: number;
    invalid: number;
    failed: number;
    /** Per-request errors from the error file (and invalid answers), for the record. */
    errors: { key: string; reason: string }[];
    /** A job-level error (a rejected input file). */
    jobError?: string;
  };
}

/** Where job records live: the run database in a run, a Map in tests. */
export interface BatchJobRegistry {
  jobs(): BatchJobRecord[];
  save(job: BatchJobRecord): void;
}

/** The run database's `meta` table key that holds every batch job of the run. */
export const BATCH_JOBS_META_KEY = 'batch_jobs';

/** A registry over `RunStore`'s meta table (or anything with the same two methods). */
export function batchJobRegistryOf(store: {
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;
}): BatchJobRegistry {
  const jobs = () => store.getMeta<BatchJobRecord[]>(BATCH_JOBS_META_KEY) ?? [];
  return {
    jobs,
    save(job) {
      const others = jobs().filter((j) => j.jobId !== job.jobId);
      store.setMeta(BATCH_JOBS_META_KEY, [...others, job]);
    },
  };
}
