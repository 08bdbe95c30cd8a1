import { z } from 'zod';

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

const reviewerName = z
  .string()
  .trim()
  .min(1, 'a reviewer name is required')
  .max(80, 'a reviewer name has at most 80 characters')
  .regex(/^[^\p{Cc}]+$/u, 'a reviewer name has no control characters');

/** A review as the viewer posts it; every field is checked before anything is stored. */
export const ReviewInput = z
  .object({
    failureId: z.string().min(1).max(200),
    reviewer: reviewerName,
    mode: z.enum(['blind', 'open']),
    verdict: z.enum(VERDICTS).optional(),
    humanPath: z.array(z.string().min(1).max(200)).min(1).max(20).optional(),
    judgeAcceptable: z.boolean().optional(),
    note: z.string().max(5000).default(''),
    seconds: z.number().min(0).max(86_400).optional(),
  })
  .strict();
export type ReviewInput = z.infer<typeof ReviewInput>;

export const ReviewerName = reviewerName;
