import { JudgeCallError, type JudgeTask } from './judge.js';
import { costOf, type Price } from './prices.js';

/** Output tokens assumed per answer when estimating a call's cost before it is sent. */
export const ASSUMED_ANSWER_TOKENS = 400;
const CHARS_PER_TOKEN = 4;

/**
 * --budget USD: a call is sent only when what was spent, plus the estimated cost of the calls in
 * flight and of this one, stays within the limit. Spending is measured after each answer (usage at
 * the model's price), so the estimate only has to cover calls not yet answered.
 */
export class SpendingBudget {
  private reservedUsd = 0;
  private refusedCalls = 0;

  constructor(
    readonly limitUsd: number,
    private readonly price: Price,
    /** Spent so far: paid answers already in the run's cache plus this process's spending. */
    private readonly spentUsd: () => number,
  ) {}

  /** Reserves the estimated cost of one request, or throws JudgeCallError when it would pass the limit. */
  reserve(task: JudgeTask, promptChars: number): number {
    const estimate =
      costOf({ inputTokens: Math.ceil(promptChars / CHARS_PER_TOKEN), outputTokens: ASSUMED_ANSWER_TOKENS }, this.price) ?? 0;
    const spent = this.spentUsd();
    if (spent + this.reservedUsd + estimate > this.limitUsd) {
      this.refusedCalls++;
      throw new JudgeCallError({ task, reason: `not sent: the budget of $${this.limitUsd} would be passed (spent $${spent.toFixed(4)})` });
    }
    this.reservedUsd += estimate;
    return estimate;
  }

  release(estimate: number): void {
    this.reservedUsd -= estimate;
  }

  /** Calls refused so far; more than 0 means the budget stopped the run. */
  get refused(): number {
    return this.refusedCalls;
  }

  spent(): number {
    return this.spentUsd();
  }
}
