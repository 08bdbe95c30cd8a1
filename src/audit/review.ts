import { z } from 'zod';

import { VERDICTS } from '../contracts/review.js';

export { REVIEW_MODES, type Review, type ReviewMode, VERDICTS, type Verdict } from '../contracts/review.js';

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
