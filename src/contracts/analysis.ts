/** One requirement of a correct answer and how the failing output met it (the judge's grading). */
export interface Criterion {
  criterion: string;
  present: boolean;
  quality: 'correct' | 'partially correct' | 'incorrect';
  evidence: string;
  comment: string;
}

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

/**
 * An analysis without its criteria: what a run keeps in memory for every failure (the taxonomy needs
 * titles and summaries); the criteria stay in the run database and are read back one at a time.
 */
export type AnalysisOutcome = Omit<Analysis, 'criteria'>;

/** A failure that could not be analysed, with the reason (kept in the run, never silently dropped). */
export interface AnalysisFailure {
  failureId: string;
  reason: string;
}
