export type { BatchClient, BatchJobStatus } from './batch-client.js';
export { BATCH_JOBS_META_KEY, type BatchJobRecord, type BatchJobRegistry, batchJobRegistryOf } from './batch-job-registry.js';
export { type BatchProgress, splitIntoJobs, type WarmCacheOptions, type WarmCacheResult, warmCacheWithBatch } from './warm-cache.js';
