import pc from 'picocolors';

/** Plain-text tables for every command: aligned columns, and ANSI styling only on a terminal. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  /** Default: right for numbers and formatted figures, left for text. */
  align?: 'left' | 'right';
  /** Longer cells wrap onto further lines at spaces (default 60); a word longer than this is split. */
  maxWidth?: number;
}

export interface TableOptions {
  /** Bold header; default: the output stream is a terminal and NO_COLOR is unset. */
  color?: boolean;
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/**
 * A cell's lines of at most `width` characters, broken at spaces; the cell's leading spaces (an
 * indented child category) indent every line, so a wrapped name still reads as one entry.
 */
export function wrapCell(text: string, width: number): string[] {
  const indent = /^ */.exec(text)?.[0] ?? '';
  const room = Math.max(1, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length > 0; ) {
      const gap = line ? 1 : 0;
      if (line.length + gap + rest.length <= room) {
        line += (gap ? ' ' : '') + rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, room));
        rest = rest.slice(room);
      }
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l) => indent + l);
}

const NUMERIC = /^[-+]?[\d.,]+(%|e[-+]?\d+)?$|^[-+]?[\d.]+ \[[^\]]*\]$|^<[\d.e-]+$/;

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: TableOptions = {}): string {
  // Each row's cells, each cell as its wrapped lines.
  const cells = rows.map((row) =>
    columns.map((c) => {
      const v = c.value(row);
      return wrapCell(v === undefined ? '' : String(v).replace(/[^\S ]+/g, ' '), c.maxWidth ?? 60);
    }),
  );
  const aligns = columns.map(
    (c, i) =>
      c.align ??
      (cells.length > 0 && cells.every((r) => r[i].length === 1 && (r[i][0] === '' || r[i][0] === '–' || NUMERIC.test(r[i][0])))
        ? 'right'
        : 'left'),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.flatMap((r) => r[i].map((l) => l.length))));
  const pad = (text: string, i: number) => (aligns[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (parts: string[]) => parts.map(pad).join('  ').trimEnd();
  const rowLines = (row: string[][]) => {
    const height = Math.max(...row.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(row.map((c) => c[k] ?? '')));
  };
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [options.color ? pc.bold(header) : header, rule, ...cells.flatMap(rowLines)];
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
