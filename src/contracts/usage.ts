/** Judge task names and token usage: shared by the judge, the store, the run record and the progress line. */

/** Stable judge task names: the JSON-schema name in requests and the key of usage accounting. */
export type JudgeTask =
  | 'error_analysis'
  | 'taxonomy_generation'
  | 'taxonomy_update'
  | 'taxonomy_review'
  | 'error_classification'
  | 'category_choice'
  | 'analysis_check'
  | 'category_match'
  | 'judge_probe';

export interface Usage {
  /** Every prompt token, cached or not. */
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, those the provider read from its prompt cache (billed at its cached rate). */
  cachedInputTokens?: number;
  /** Of inputTokens, those the provider wrote to its prompt cache (Anthropic bills them above the input rate). */
  cacheWriteTokens?: number;
}

/** Usage per judge task, for the run record and the progress line. */
export interface TaskUsage extends Usage {
  /** Requests actually sent (including retries and re-asks). */
  calls: number;
  /** Of those, requests that repeated a failed one. */
  retries: number;
  /** Answers served from the cache (no request sent). */
  cachedCalls: number;
  failedCalls: number;
  /**
   * Spent, at each token kind's own rate; absent when the judge's price is unknown (no --price and
   * not in the price table). Runs recorded before unknown prices were told apart say 0 for them.
   */
  costUsd?: number;
}
