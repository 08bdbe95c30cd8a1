import pc from 'picocolors';

/** Plain-text tables for every command: aligned columns, and ANSI styling only on a terminal. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  /** Default: right for numbers and formatted figures, left for text. */
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis (default 60). */
  maxWidth?: number;
}

export interface TableOptions {
  /** Bold header; default: the output stream is a terminal and NO_COLOR is unset. */
  color?: boolean;
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const NUMERIC = /^[-+]?[\d.,]+(%|e[-+]?\d+)?$|^[-+]?[\d.]+ \[[^\]]*\]$|^<[\d.e-]+$/;

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: TableOptions = {}): string {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const v = c.value(row);
      return cut(v === undefined ? '' : String(v).replace(/\s+/g, ' '), c.maxWidth ?? 60);
    }),
  );
  const aligns = columns.map(
    (c, i) => c.align ?? (cells.length > 0 && cells.every((r) => r[i] === '' || r[i] === '–' || NUMERIC.test(r[i])) ? 'right' : 'left'),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const pad = (text: string, i: number) => (aligns[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (parts: string[]) => parts.map(pad).join('  ').trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [options.color ? pc.bold(header) : header, rule, ...cells.map(line)];
  return `${out.join('\n')}\n`;
}

// ---- figures ---------------------------------------------------------------

/** A share as a percentage with one decimal. */
export function percent(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`;
}

export function fixed(x: number | undefined, digits = 2): string {
  return x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}

/** An interval as [low, high]. */
export function interval(low: number | undefined, high: number | undefined, show: (x: number | undefined) => string = fixed): string {
  return low === undefined || high === undefined ? '–' : `[${show(low)}, ${show(high)}]`;
}

/** A p-value with three significant digits, or "<1e-6" for tiny ones. */
export function pValue(p: number | undefined): string {
  if (p === undefined || Number.isNaN(p)) return '–';
  if (p < 1e-6) return '<1e-6';
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}
