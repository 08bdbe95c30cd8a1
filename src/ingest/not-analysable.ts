import { excerpt } from '../errors.js';
import type { Prediction } from './prediction.js';

/**
 * Keeps a prediction the judge cannot analyse (no score, a failed or cancelled request, no generated text)
 * with the reason the user sees: the run counts it apart (population.unanalysable, or population.unscored when
 * it has no score) instead of refusing the whole file for one bad sample.
 */
export function notAnalysable(p: Prediction, reason: string): Prediction {
  p.analysable = false;
  p.unanalysableReason = reason;
  return p;
}

/**
 * A prediction with no usable score: its score is undefined, so it is neither a failure nor a correct answer
 * and is counted apart (population.unscored); `what` names the score ("metric \"acc\"", "the score"),
 * `value` is what the file holds.
 */
export function withoutScore(p: Prediction, what: string, value: unknown): Prediction {
  p.score = undefined;
  return notAnalysable(p, `no score: ${what} ${describeNoScore(value)}`);
}

/** What a value that is no score is, in words: "is NaN", "is missing", "is null", "is \"n/a\", not a number". */
export function describeNoScore(value: unknown): string {
  if (value === undefined) return 'is missing';
  if (value === null) return 'is null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'is NaN' : `is ${value}, not a finite number`;
  return `is ${excerpt(JSON.stringify(value), 60)}, not a number`;
}
