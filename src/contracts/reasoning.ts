/** `--reasoning`: how hard a reasoning judge should think before it answers (settings and judge share it). */
export const REASONING_LEVELS = ['low', 'medium', 'high'] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];
