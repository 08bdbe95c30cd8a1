import type { IncompleteSummary } from '../contracts/run-record.js';
import { excerpt } from '../errors.js';
import { RUN_FILES } from '../store/run-dir.js';

const MAX_REASONS = 10;

/** A failure that is missing from the taxonomy, and why. */
interface MissingFailure {
  failureId: string;
  reason: string;
}

/**
 * What a run is missing: sampled failures the judge could not analyse and analysed ones that could
 * not be placed in the taxonomy, with their reasons counted. Undefined when nothing is missing.
 */
export function incompleteSummary(
  sampled: number,
  unanalysed: readonly MissingFailure[],
  unplaced: readonly MissingFailure[],
): IncompleteSummary | undefined {
  const missing = unanalysed.length + unplaced.length;
  if (missing === 0) return undefined;
  const counts = new Map<string, number>();
  for (const m of [...unanalysed, ...unplaced]) {
    // "(after 5 attempts)" varies between calls that failed for the same reason.
    const reason = excerpt(m.reason.replace(/ \(after \d+ attempts\)/, ''));
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts.entries()]
    .map(([reason, failures]) => ({ reason, failures }))
    .sort((a, b) => b.failures - a.failures || (a.reason < b.reason ? -1 : 1))
    .slice(0, MAX_REASONS);
  const parts = [
    unanalysed.length > 0 ? `${unanalysed.length} could not be analysed (listed in ${RUN_FILES.unanalysed})` : '',
    unplaced.length > 0 ? `${unplaced.length} analysed could not be placed in the taxonomy (empty categories in ${RUN_FILES.errors})` : '',
  ].filter(Boolean);
  const summary =
    `the run is incomplete: ${missing} of ${sampled} sampled failures are missing from the taxonomy: ${parts.join('; ')}; ` +
    `most frequent reason: ${reasons[0].reason} (${reasons[0].failures}). ` +
    'Run the same command again to retry them; answers already received are reused.';
  return { unanalysed: unanalysed.length, unplaced: unplaced.length, reasons, summary };
}
