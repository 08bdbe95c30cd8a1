/** The errormap library: the same entry points the CLI uses. */

export { auditSample } from './audit/audit-sample.js';
export { type AuditStats, computeAuditStats } from './audit/audit-stats.js';
export type { Analysis, AnalysisFailure, Criterion } from './contracts/analysis.js';
export type { Review } from './contracts/review.js';
export type { RunRecord } from './contracts/run-record.js';
export type { TaxonomyNode } from './contracts/taxonomy-node.js';
export type { DetectContext, Detector, Finding } from './detect/finding.js';
export { detectFailure } from './detect/run-detectors.js';
export { ConfigError, ErrormapError, InputError } from './errors.js';
export type { InputReader, Prediction, ReaderOptions } from './ingest/prediction.js';
export { collectInputs, readInputs } from './ingest/read-inputs.js';
export type { CallCache, Judge, JudgeRequest, JudgeResult, JudgeTask } from './judge/index.js';
export { createJudge, JudgeCallError, UsageMeter } from './judge/index.js';
export { runPipeline } from './pipeline/run-pipeline.js';
export type { Failure, PopulationStats, ReferencePool } from './prepare/failure.js';
export { prepare } from './prepare/prepare.js';
export { errorAnalysisSchema } from './prompts/response-schemas.js';
export type { RunSettings, SettingValues } from './settings/run-settings.js';
export { resolveSettings } from './settings/run-settings.js';
export { loadReviews } from './store/review-queries.js';
export type { FailureView, RunData } from './store/run-data.js';
export { loadRunData } from './store/run-data.js';
export { buildTaxonomy, buildTreeFromPaths } from './taxonomy/index.js';
