import type { RunRecord, TaskUsage } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { sumUsage } from '../judge/index.js';
import { runFile } from '../store/run-dir.js';
import { type Column, formatTable } from './table.js';

/** What the end of `errormap run` reports on: the run directory, its record and its taxonomy. */
export interface FinishedRun {
  dir: string;
  record: RunRecord;
  taxonomy: TaxonomyNode;
}

interface CategoryRow {
  name: string;
  node: TaxonomyNode;
}

const CATEGORY_COLUMNS: Column<CategoryRow>[] = [
  { header: 'category', value: (r) => r.name, maxWidth: 56, align: 'left' },
  { header: 'failures', value: (r) => r.node.count },
  { header: 'share', value: (r) => `${(r.node.share * 100).toFixed(1)}%` },
];

/**
 * The top two levels of the taxonomy, largest first: every category and every child the viewer
 * shows (children indented, share of their parent), long names wrapped rather than cut.
 */
export function topCategoriesText(root: TaxonomyNode): string {
  const byCount = (nodes: TaxonomyNode[]) => [...nodes].sort((a, b) => b.count - a.count);
  const rows: CategoryRow[] = byCount(root.children).flatMap((c) => [
    { name: c.name, node: c },
    ...byCount(c.children).map((g) => ({ name: `  ${g.name}`, node: g })),
  ]);
  return `Top error categories (${root.count} analysed failures; a child's share is of its parent)\n${formatTable(rows, CATEGORY_COLUMNS)}`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** "1 h 02 min", "3 min 07 s", "12.4 s". */
export function wallTime(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  const [h, m, sec] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h} h ${two(m)} min` : `${m} min ${two(sec)} s`;
}

/** The judge's calls, tokens (those read from the provider's prompt cache apart) and cost, one line each. */
export function usageLines(usage: Record<string, TaskUsage>): string[] {
  const t = sumUsage(Object.values(usage));
  const cached = t.cachedInputTokens ?? 0;
  const written = t.cacheWriteTokens ? `, ${n(t.cacheWriteTokens)} written to it` : '';
  const share = t.inputTokens > 0 ? ` (${((cached / t.inputTokens) * 100).toFixed(1)}%)` : '';
  return [
    `Judge calls: ${n(t.calls)} sent (${n(t.retries)} retries), ${n(t.failedCalls)} failed, ${n(t.cachedCalls)} answered from the run's cache`,
    `Tokens:      ${n(t.inputTokens)} input, of which ${n(cached)} read from the provider's prompt cache${share}${written}; ${n(t.outputTokens)} output`,
    t.costUsd === undefined
      ? 'Cost:        unknown price (the model is not in the price table; give --price INPUT,OUTPUT to count it)'
      : `Cost:        $${t.costUsd.toFixed(4)}`,
  ];
}

/** A path as a shell word: quoted when it holds anything a shell would split or expand. */
function shellWord(path: string): string {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * The end of `errormap run`: the top categories, what was analysed, wall time, judge calls, tokens
 * and cost, the files written and the commands that open the result.
 */
export function runSummaryText(run: FinishedRun, reportPath?: string): string {
  const { record, dir } = run;
  const c = record.counts;
  const lines = [
    '',
    topCategoriesText(run.taxonomy).trimEnd(),
    '',
    `${n(c.analysed)} failures analysed (${n(c.noError)} with no error found, ${n(c.analysisFailed)} could not be analysed) by ${record.judge}.`,
  ];
  if (c.unscored) {
    const top = (c.unscoredReasons ?? []).slice(0, 3).map((r) => `${n(r.predictions)} ${r.reason}`);
    const more = (c.unscoredReasons?.length ?? 0) > 3 ? '; …' : '';
    lines.push(
      `${n(c.unscored)} of ${n(c.predictions)} predictions have no score and are left out of thresholds, failures and rates${top.length ? ` (${top.join('; ')}${more})` : ''}.`,
    );
  }
  if (record.finishedAt) lines.push(`Wall time:   ${wallTime(Date.parse(record.finishedAt) - Date.parse(record.startedAt))}`);
  if (record.offline) lines.push('Judge calls: none (the offline analyst needs no judge); cost $0');
  else lines.push(...usageLines(record.usage));
  if (record.precheck)
    lines.push(
      `Pre-checks filed ${n(record.precheck.filed)} failures without a judge call (about ${n(record.precheck.estimatedTokensSaved)} tokens saved).`,
    );
  lines.push('', `Taxonomy: ${runFile(dir, 'taxonomy')}`, `Errors:   ${runFile(dir, 'errors')}`);
  if (reportPath) lines.push(`Report:   ${reportPath}`);
  const word = shellWord(dir);
  lines.push('', 'Open the result:', `  errormap view ${word}      # the interactive viewer in your browser`);
  if (!reportPath) lines.push(`  errormap report ${word}    # writes ${runFile(dir, 'report')}, one self-contained file`);
  return `${lines.join('\n')}\n`;
}
