/** A human review of one failure: shared by the audit statistics, the run store and the viewer. */

/** The reviewer's verdict on the judge's analysis (criteria and first error). */
export const VERDICTS = ['accept', 'partly', 'reject'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** blind: the category was picked before the judge's was shown; open: the judge's was shown; import: from a file. */
export const REVIEW_MODES = ['blind', 'open', 'import'] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];

/**
 * One human review of one failure, as stored (appended, never updated). The judge's values at the time are
 * kept beside the human's, so a later re-run of the judge cannot change what the reviewer agreed with.
 */
export interface Review {
  failureId: string;
  reviewer: string;
  /** ISO time the review was recorded. */
  reviewedAt: string;
  mode: ReviewMode;
  verdict?: Verdict;
  /** Node ids, top-level first, of the category the reviewer chose; undefined when they chose none. */
  humanPath?: string[];
  /** Blind mode: after the reveal, the reviewer found the judge's category acceptable too. */
  judgeAcceptable?: boolean;
  note: string;
  /** The judge's category (node ids) and error title when the review was made. */
  judgePath: string[];
  judgeTitle: string;
  /** Seconds the reviewer spent on the item (viewer only). */
  seconds?: number;
}
