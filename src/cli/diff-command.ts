import type { Command } from 'commander';
import { type CategoryDiff, diffRuns, type RunDiff } from '../chart/diff.js';
import { loadRunData } from '../store/run-data.js';
import { addCategoryTestOptions, type CategoryTestFlags, noErrorLineText, parseCategoryTestFlags } from './chart-flags.js';
import { printJsonOrText, printWarnings } from './print-result.js';
import { type Column, fixed, formatTable, interval, pValue, useColor } from './table.js';

interface DiffFlags extends CategoryTestFlags {
  json?: boolean;
}

const COLUMNS: Column<CategoryDiff>[] = [
  { header: 'category', value: (r) => r.categoryPath.join(' > '), maxWidth: 50 },
  { header: 'status', value: (r) => r.status },
  { header: 'A n', value: (r) => r.first.count },
  { header: 'A per 100', value: (r) => fixed(r.first.incidence) },
  { header: 'B n', value: (r) => r.second.count },
  { header: 'B per 100', value: (r) => fixed(r.second.incidence) },
  {
    header: 'B−A [95% CI]',
    value: (r) => (r.difference === undefined ? '–' : `${fixed(r.difference)} ${interval(r.differenceLow, r.differenceHigh)}`),
    align: 'right',
  },
  { header: 'p', value: (r) => pValue(r.p) },
  { header: 'p Holm', value: (r) => pValue(r.pHolm) },
  { header: 'sig.', value: (r) => (r.significant ? '*' : ''), align: 'left' },
];

const ORDER: Record<CategoryDiff['status'], number> = { appeared: 0, grew: 1, shrank: 2, vanished: 3, unchanged: 4 };

/** The text printed by `errormap diff`. */
export function diffText(d: RunDiff, firstDir: string, secondDir: string, color = false, includedNoError = false): string {
  const rows = [...d.categories].sort((x, y) => ORDER[x.status] - ORDER[y.status] || x.p - y.p);
  return (
    `A = ${firstDir}\nB = ${secondDir}\n` +
    `Depth ${d.depth}; per 100 = failures in the category per 100 predictions; status = direction of the change;\n` +
    `Fisher exact p; * = Holm-adjusted p < ${d.alpha} (only those changes are unlikely to be chance).\n\n` +
    formatTable(rows, COLUMNS, { color }) +
    noErrorLineText(
      [
        { label: 'A', rate: d.noError.first },
        { label: 'B', rate: d.noError.second },
      ],
      includedNoError,
    )
  );
}

/** `errormap diff RUN_A RUN_B [--depth 1] [--alpha 0.05] [--json]` */
export function registerDiffCommand(program: Command): void {
  const command = program
    .command('diff')
    .description(
      'What changed between two runs: categories that grew, shrank, appeared or vanished, with incidence per 100 predictions and Holm-corrected Fisher exact tests',
    )
    .argument('<runA>', 'the earlier run directory')
    .argument('<runB>', 'the later run directory');
  addCategoryTestOptions(command)
    .option('--json', 'print the diff as JSON')
    .action((first: string, second: string, flags: DiffFlags) => {
      const { depth, alpha, includeNoError } = parseCategoryTestFlags(flags);
      const result = diffRuns(loadRunData(first), loadRunData(second), { depth, alpha, includeNoError });
      printWarnings(result.warnings);
      printJsonOrText(
        flags.json,
        () => result,
        () => diffText(result, first, second, useColor(), includeNoError),
      );
    });
}
