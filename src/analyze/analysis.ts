import { z } from 'zod';

export const criterionSchema = z.object({
  criterion: z.string().describe('A requirement a correct answer must meet'),
  present: z.boolean().describe('Whether the output attempts this requirement'),
  quality: z.enum(['correct', 'partially correct', 'incorrect']),
  evidence: z.string().describe('Short verbatim quote from the output, or empty'),
  comment: z.string(),
});

/** What the judge returns for one failure (task "error_analysis"). */
export const errorAnalysisSchema = z.object({
  criteria: z.array(criterionSchema).min(1),
  has_error: z.boolean().describe('False when the output is actually correct or the error is in the benchmark'),
  error_title: z.string().trim().min(1).describe('Short name of the first major error, naming the skill that failed'),
  error_summary: z.string().trim().min(1).describe('One to three sentences on what went wrong first and why it matters'),
});
export type ErrorAnalysisAnswer = z.infer<typeof errorAnalysisSchema>;
export type Criterion = z.infer<typeof criterionSchema>;

/** The per-failure result stored in the run, whatever produced it. */
export interface Analysis {
  failureId: string;
  /** judge = a judge call; detector = offline analyst; precheck = filed by a mechanical detector without a judge call. */
  source: 'judge' | 'detector' | 'precheck';
  /** "provider:model" of the judge, or "offline". */
  judge: string;
  criteria: Criterion[];
  hasError: boolean;
  errorTitle: string;
  errorSummary: string;
  /** Detector name when source is detector/precheck. */
  detector?: string;
  /** Offline/precheck analyses carry a fixed category path instead of being classified by a judge. */
  fixedPath?: string[];
}

/** A failure that could not be analysed, with the reason (kept in the run, never silently dropped). */
export interface AnalysisFailure {
  failureId: string;
  reason: string;
}
