import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { InputError } from '../errors.js';
import type { FailureView } from '../store/run-data.js';
import { type CategoryLookup, categoryLookup } from './category-paths.js';
import { type Review, VERDICTS, type Verdict } from './review.js';

/** The columns a reviewer fills in, after the failure id and the judge's category. */
export const AUDIT_COLUMNS = ['failure_id', 'judge_category', 'human_category', 'analysis_verdict', 'note'] as const;
/** Context for reviewing in a spreadsheet; ignored on import. */
const CONTEXT_COLUMNS = ['dataset', 'model', 'example_id', 'error_title', 'error_summary', 'input_text', 'output_text', 'correct_answer'];

export type AuditFormat = 'csv' | 'jsonl';

export function auditFormatOf(file: string): AuditFormat {
  return /\.jsonl?$/i.test(file) ? 'jsonl' : 'csv';
}

/** The audit sample as rows to fill in: the judge's category as a ` > ` path, the reviewer's columns empty. */
export function auditRows(sample: readonly FailureView[], taxonomy: TaxonomyNode): Record<string, string>[] {
  const lookup = categoryLookup(taxonomy);
  return sample.map((f) => ({
    failure_id: f.id,
    judge_category: lookup.labelOf(f.path),
    human_category: '',
    analysis_verdict: '',
    note: '',
    dataset: f.dataset,
    model: f.model,
    example_id: f.exampleId,
    error_title: f.analysis?.errorTitle ?? '',
    error_summary: f.analysis?.errorSummary ?? '',
    input_text: f.inputText,
    output_text: f.outputText,
    correct_answer: f.correctAnswer ?? '',
  }));
}

export function formatAuditFile(rows: readonly Record<string, string>[], format: AuditFormat): string {
  if (format === 'jsonl') return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
  return stringify(rows as Record<string, string>[], { header: true, columns: [...AUDIT_COLUMNS, ...CONTEXT_COLUMNS] });
}

interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

function readRows(file: string, text: string, format: AuditFormat): RawRow[] {
  if (format === 'jsonl') {
    return text.split(/\r?\n/).flatMap((raw, i) => {
      if (raw.trim() === '') return [];
      let values: unknown;
      try {
        values = JSON.parse(raw);
      } catch (e) {
        throw new InputError({ file, line: i + 1, problem: `not valid JSON (${(e as Error).message})` });
      }
      if (typeof values !== 'object' || values === null || Array.isArray(values))
        throw new InputError({ file, line: i + 1, problem: 'each line must be a JSON object' });
      return [{ line: i + 1, values: values as Record<string, unknown> }];
    });
  }
  let records: { record: Record<string, string>; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, bom: true, info: true, raw: true, skip_empty_lines: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError({ file, line, problem: `not readable as CSV (${(e as Error).message})` });
  }
  // The line a record starts on: where it ends, less the line breaks inside it.
  return records.map((r) => ({ line: r.info.lines - (r.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0), values: r.record }));
}

function text(row: RawRow, field: string, file: string): string {
  const v = row.values[field];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new InputError({ file, line: row.line, field, problem: 'must be text' });
  return v.trim();
}

export interface ImportedAudit {
  reviews: Review[];
  /** Rows with neither a category nor a verdict: not reviewed yet, left out. */
  blank: number;
}

/**
 * Reads a filled-in audit file and checks every value before anything is recorded: a known failure id
 * (analysed and filed in this run), a category path of this run's taxonomy down to a leaf, a verdict of
 * accept / partly / reject, each failure once. The first problem stops the import, naming file, line and field.
 */
export function readAuditFile(
  file: string,
  content: string,
  run: { taxonomy: TaxonomyNode; failures: readonly FailureView[] },
  meta: { reviewer: string; now: string },
): ImportedAudit {
  const format = auditFormatOf(file);
  const rows = readRows(file, content, format);
  const lookup: CategoryLookup = categoryLookup(run.taxonomy);
  const failures = new Map(run.failures.filter((f) => f.analysis && f.path.length > 0).map((f) => [f.id, f]));
  const seen = new Map<string, number>();
  const reviews: Review[] = [];
  let blank = 0;
  if (format === 'csv' && rows.length > 0)
    for (const column of ['failure_id', 'human_category', 'analysis_verdict'])
      if (!(column in rows[0].values)) throw new InputError({ file, line: 1, field: column, problem: 'missing column' });
  for (const row of rows) {
    const id = text(row, 'failure_id', file);
    const category = text(row, 'human_category', file);
    const verdictText = text(row, 'analysis_verdict', file).toLowerCase();
    const note = text(row, 'note', file);
    if (!id) throw new InputError({ file, line: row.line, field: 'failure_id', problem: 'is empty' });
    const failure = failures.get(id);
    if (!failure)
      throw new InputError({ file, line: row.line, field: 'failure_id', problem: `"${id}" is not an analysed failure of this run` });
    if (seen.has(id))
      throw new InputError({ file, line: row.line, field: 'failure_id', problem: `"${id}" appears twice (first on line ${seen.get(id)})` });
    seen.set(id, row.line);
    const leaf = category ? lookup.byLabel(category) : undefined;
    if (category && !leaf)
      throw new InputError({
        file,
        line: row.line,
        field: 'human_category',
        problem: `"${category}" is not a leaf category of this run's taxonomy (the allowed paths are listed by \`errormap audit export\`)`,
      });
    if (verdictText && !(VERDICTS as readonly string[]).includes(verdictText))
      throw new InputError({
        file,
        line: row.line,
        field: 'analysis_verdict',
        problem: `"${verdictText}" is not one of ${VERDICTS.join(', ')}`,
      });
    if (note.length > 5000) throw new InputError({ file, line: row.line, field: 'note', problem: 'is longer than 5000 characters' });
    if (!leaf && !verdictText) {
      blank++;
      continue;
    }
    reviews.push({
      failureId: id,
      reviewer: meta.reviewer,
      reviewedAt: meta.now,
      mode: 'import',
      verdict: (verdictText || undefined) as Verdict | undefined,
      humanPath: leaf?.ids,
      note,
      judgePath: failure.path,
      judgeTitle: failure.analysis?.errorTitle ?? '',
    });
  }
  return { reviews, blank };
}
