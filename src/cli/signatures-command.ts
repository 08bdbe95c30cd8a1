import type { Command } from 'commander';
import { withHumanCategories } from '../audit/human-paths.js';
import { populationWarnings } from '../chart/analysed-strata.js';
import { noErrorLines } from '../chart/no-error.js';
import { computeSignatures, groupingLabel, parseGrouping, type SignatureRow } from '../chart/signatures.js';
import { placedFailures } from '../chart/weighted-shares.js';
import type { PopulationStats } from '../prepare/failure.js';
import { writeSignatureFiles } from '../report/signature-files.js';
import { loadReviews } from '../store/review-queries.js';
import { loadRunData } from '../store/run-data.js';
import { RUN_FILES } from '../store/run-dir.js';
import { addIncludeNoErrorOption, collectRepeated, depthWithin, noErrorLineText, positiveInt } from './chart-flags.js';
import { printJsonOrText, printWarnings } from './print-result.js';
import { type Column, fixed, formatTable, interval, percent, useColor } from './table.js';

interface SignaturesFlags {
  by: string[];
  depth: string;
  json?: boolean;
  includeNoError?: boolean;
  human?: boolean;
}

const DEFAULT_GROUPINGS = ['model', 'dataset', 'model,dataset'];

const COLUMNS: Column<SignatureRow>[] = [
  { header: 'group', value: (r) => r.group, maxWidth: 40 },
  { header: 'category', value: (r) => r.categoryPath.join(' > '), maxWidth: 50 },
  { header: 'count', value: (r) => `${r.count}/${r.n}`, align: 'right' },
  { header: 'share', value: (r) => percent(r.share) },
  { header: '95% CI', value: (r) => interval(r.ciLow, r.ciHigh, percent), align: 'right' },
  { header: 'per 100 pred.', value: (r) => fixed(r.incidence) },
  { header: '95% CI ', value: (r) => interval(r.incidenceLow, r.incidenceHigh), align: 'right' },
];

/** The table printed by `errormap signatures`: non-empty categories at one depth, one block per grouping. */
export function signaturesText(rows: readonly SignatureRow[], depth: number, color = false): string {
  const blocks: string[] = [];
  for (const groupBy of [...new Set(rows.map((r) => r.groupBy))]) {
    const shown = rows.filter((r) => r.groupBy === groupBy && r.depth === depth && r.count > 0);
    blocks.push(`Failure signatures by ${groupBy}, depth ${depth}\n${formatTable(shown, COLUMNS, { color })}`);
  }
  return blocks.join('\n');
}

/** Models the tables leave out, and why: they failed nothing, or their failures were not analysed. */
export function absentModelsText(rows: readonly SignatureRow[], population: readonly PopulationStats[]): string {
  const shown = new Set(rows.filter((r) => r.groupBy === 'model').map((r) => r.group));
  if (shown.size === 0) return '';
  const failures = new Map<string, number>();
  for (const p of population) failures.set(p.model, (failures.get(p.model) ?? 0) + p.failures);
  const absent = [...failures].filter(([m]) => !shown.has(m)).sort(([a], [b]) => a.localeCompare(b));
  if (absent.length === 0) return '';
  const why = ([m, n]: [string, number]) => `${m} (${n === 0 ? 'no failures' : `${n} failures, none analysed`})`;
  return `Models without analysed failures: ${absent.map(why).join(', ')}\n`;
}

/** `errormap signatures RUN [--by GROUPING]… [--depth N] [--json]` */
export function registerSignaturesCommand(program: Command): void {
  const command = program
    .command('signatures')
    .description(
      `Failure signatures: share of each group’s failures per category, with 95% intervals and incidence per 100 predictions; writes ${RUN_FILES.signaturesCsv} and ${RUN_FILES.signaturesJson} into the run`,
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option(
      '--by <grouping>',
      'model, dataset, model,dataset or meta:COLUMN (repeatable; default: model, dataset and model,dataset)',
      collectRepeated,
      [],
    )
    .option('--depth <n>', 'taxonomy depth to print (the files hold every depth)', '1')
    .option('--json', 'print the rows at --depth as JSON')
    .option('--human', 'use the human audit’s category where a reviewer chose one (printed only; the files keep the judge’s)');
  addIncludeNoErrorOption(command).action((dir: string, flags: SignaturesFlags) => {
    const groupings = (flags.by.length > 0 ? flags.by : DEFAULT_GROUPINGS).map(parseGrouping);
    const judged = loadRunData(dir);
    const depth = depthWithin(positiveInt('--depth', flags.depth), [{ dir, taxonomy: judged.taxonomy }]);
    const human = flags.human ? withHumanCategories(judged.failures, judged.taxonomy, loadReviews(dir)) : undefined;
    const run = human ? { ...judged, failures: human.failures } : judged;
    const includeNoError = flags.includeNoError === true;
    const rows = computeSignatures(run, { groupings, includeNoError });
    const noError = noErrorLines(run.failures, (f) => f.model);
    if (human)
      process.stderr.write(
        `errormap: ${human.replaced} failures use a reviewer's category` +
          (human.stale > 0 ? `; ${human.stale} reviews name a category this taxonomy no longer has and were ignored` : '') +
          '\n',
      );
    // Human categories are printed only: the signature files keep the judge's.
    const files = human ? undefined : writeSignatureFiles(dir, rows);
    if (rows.length === 0) process.stderr.write(`errormap: ${dir} has no analysed failures filed in its taxonomy\n`);
    printWarnings(populationWarnings(run.population, placedFailures(run.failures)));
    printJsonOrText(
      flags.json,
      () => ({ files, groupings: groupings.map(groupingLabel), rows: rows.filter((r) => r.depth === depth), noErrorByModel: noError }),
      () =>
        signaturesText(rows, depth, useColor()) +
        absentModelsText(rows, run.population) +
        noErrorLineText(
          noError.map((l) => ({ label: l.group, rate: l })),
          includeNoError,
        ) +
        (files ? `\nWrote ${files.csv} and ${files.json} (all depths).\n` : ''),
    );
  });
}
