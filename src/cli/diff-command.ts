import type { Command } from 'commander';
import { type CategoryDiff, diffRuns, type RunDiff } from '../chart/diff.js';
import { loadRunData } from '../store/run-data.js';
import { addCategoryTestOptions, type CategoryTestFlags, depthWithin, noErrorLineText, parseCategoryTestFlags } from './chart-flags.js';
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
];

const ORDER: Record<CategoryDiff['status'], number> = { appeared: 0, grew: 1, shrank: 2, vanished: 3, 'no significant change': 4 };

/** The last line: how many categories changed, or that none did. */
function verdictLine(d: RunDiff): string {
  const changed = d.categories.filter((c) => c.status !== 'no significant change').length;
  if (changed === 0)
    return `No significant change between the runs at depth ${d.depth}: no category's Holm-adjusted p is below ${d.alpha}.\n`;
  return `${changed} of ${d.categories.length} categories changed significantly at depth ${d.depth} (Holm-adjusted p < ${d.alpha}); the others show no significant change.\n`;
}

/** The text printed by `errormap diff`. */
export function diffText(d: RunDiff, firstDir: string, secondDir: string, color = false, includedNoError = false): string {
  const rows = [...d.categories].sort((x, y) => ORDER[x.status] - ORDER[y.status] || x.p - y.p);
  return (
    `A = ${firstDir}\nB = ${secondDir}\n` +
    `Depth ${d.depth}; per 100 = failures in the category per 100 predictions; Fisher exact p, Holm-adjusted over the categories.\n` +
    `status = direction of a change whose Holm-adjusted p < ${d.alpha} (unlikely to be chance); any other row: no significant change.\n\n` +
    formatTable(rows, COLUMNS, { color }) +
    noErrorLineText(
      [
        { label: 'A', rate: d.noError.first },
        { label: 'B', rate: d.noError.second },
      ],
      includedNoError,
    ) +
    `\n${verdictLine(d)}`
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
      const [a, b] = [loadRunData(first), loadRunData(second)];
      const runs = [
        { dir: first, taxonomy: a.taxonomy },
        { dir: second, taxonomy: b.taxonomy },
      ];
      const result = diffRuns(a, b, { depth: depthWithin(depth, runs), alpha, includeNoError });
      printWarnings(result.warnings);
      printJsonOrText(
        flags.json,
        () => result,
        () => diffText(result, first, second, useColor(), includeNoError),
      );
    });
}
