/**
 * One failure's analysis often says the same sentence three times: the judge's summary, a criterion's
 * comment and a detector finding (the offline analyst files a finding's summary as all three). The viewer
 * shows each statement once, where it is first said. Pure: the browser imports it.
 */

/** A statement reduced to what it says: case, spacing, quotes and closing punctuation ignored. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.;:!]+$/, '')
    .trim();
}

/** Shortest statement that counts as repeated when another contains it; shorter ones ("Correct.") are kept. */
const MIN_CONTAINED = 24;

/** Whether two statements say the same: equal once normalised, or one (long enough) inside the other. */
export function sameStatement(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= MIN_CONTAINED && long.includes(short);
}

/** For each criterion comment and finding summary: the text to show, or null when it repeats one shown before it. */
export interface DedupedStatements {
  comments: (string | null)[];
  findings: (string | null)[];
}

/** Keeps the first saying of each statement, in reading order: summary, criterion comments, finding summaries. */
export function dedupeStatements(summary: string, comments: readonly string[], findings: readonly string[]): DedupedStatements {
  const said: string[] = summary.trim() === '' ? [] : [summary];
  const keep = (text: string): string | null => {
    if (text.trim() !== '' && said.some((s) => sameStatement(s, text))) return null;
    said.push(text);
    return text;
  };
  return { comments: comments.map(keep), findings: findings.map(keep) };
}
