export { callCacheKey, canonicalJson } from './call-key.js';
export { type CreatedJudge, createJudge, type JudgeOptions, judgeCallKey, judgeParameters } from './create-judge.js';
export { extractJson } from './json-extract.js';
export type { CachedCall, CallCache, Judge, JudgeRequest, JudgeResult, JudgeTask, Usage } from './judge.js';
export { JudgeCallError } from './judge.js';
export { type JudgeSpec, parseJudgeSpec } from './judge-spec.js';
export { costOf, lookupPrice, PRICES_WRITTEN, type Price } from './prices.js';
export { findProvider, PROVIDERS, type ProviderEntry, requireProvider, resolveProvider } from './provider-registry.js';
export { type CallProgress, sumUsage, UsageMeter } from './usage-meter.js';
