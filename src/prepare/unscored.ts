import { isScored, type PredictionOutcome } from '../ingest/prediction.js';
import { compareText } from './seeded-random.js';

/** How many predictions of one (dataset, model) have no usable score for one reason. */
export interface UnscoredCount {
  dataset: string;
  model: string;
  /** The reader's reason without its "no score: " lead, e.g. `metric "acc" is NaN`, `the sample failed: cancelled`. */
  reason: string;
  predictions: number;
}

/** A reason with how many predictions it left without a score, over every dataset and model. */
export interface UnscoredReason {
  reason: string;
  predictions: number;
}

const NO_SCORE_LEAD = 'no score: ';
/** Reasons the warning names; the rest are summed up as "N for other reasons" (the run record keeps them all). */
const REASONS_NAMED = 5;

/** Unscored predictions grouped by (dataset, model, reason), sorted by dataset, model, then most frequent reason first. */
export function countUnscored(predictions: readonly PredictionOutcome[]): UnscoredCount[] {
  const counts = new Map<string, UnscoredCount>();
  for (const p of predictions) {
    if (isScored(p)) continue;
    const reason = reasonOf(p);
    const key = `${p.dataset}\u0000${p.model}\u0000${reason}`;
    const count = counts.get(key) ?? { dataset: p.dataset, model: p.model, reason, predictions: 0 };
    count.predictions += 1;
    counts.set(key, count);
  }
  return [...counts.values()].sort(
    (a, b) =>
      compareText(a.dataset, b.dataset) ||
      compareText(a.model, b.model) ||
      b.predictions - a.predictions ||
      compareText(a.reason, b.reason),
  );
}

/** Totals per reason over every dataset and model, most frequent first. */
export function unscoredReasons(counts: readonly UnscoredCount[]): UnscoredReason[] {
  const byReason = new Map<string, number>();
  for (const c of counts) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + c.predictions);
  return [...byReason.entries()]
    .map(([reason, predictions]) => ({ reason, predictions }))
    .sort((a, b) => b.predictions - a.predictions || compareText(a.reason, b.reason));
}

/**
 * The prepare warning: `12 predictions have no score and are left out: 9 metric "acc" is NaN, 3 the sample
 * failed: cancelled`; undefined when every prediction has a score.
 */
export function unscoredWarning(reasons: readonly UnscoredReason[]): string | undefined {
  const total = reasons.reduce((n, r) => n + r.predictions, 0);
  if (total === 0) return undefined;
  const named = reasons.slice(0, REASONS_NAMED).map((r) => `${r.predictions} ${r.reason}`);
  const others = reasons.slice(REASONS_NAMED).reduce((n, r) => n + r.predictions, 0);
  if (others > 0) named.push(`${others} for other reasons`);
  const subject = total === 1 ? '1 prediction has' : `${total} predictions have`;
  return `${subject} no score and ${total === 1 ? 'is' : 'are'} left out of thresholds, failures and rates: ${named.join(', ')}`;
}

function reasonOf(p: PredictionOutcome): string {
  const reason = p.unanalysableReason ?? 'no reason given';
  return reason.startsWith(NO_SCORE_LEAD) ? reason.slice(NO_SCORE_LEAD.length) : reason;
}
