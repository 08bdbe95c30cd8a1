import { type Command, Option } from 'commander';
import { type CategoryComparison, compareModels, type ModelComparison } from '../chart/compare.js';
import { ConfigError } from '../errors.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadRunData } from '../store/run-data.js';
import { addCategoryTestOptions, type CategoryTestFlags, depthWithin, noErrorLineText, parseCategoryTestFlags } from './chart-flags.js';
import { printJsonOrText, printWarnings } from './print-result.js';
import { type Column, fixed, formatTable, interval, percent, pValue, useColor } from './table.js';

interface CompareFlags extends CategoryTestFlags {
  models: string[];
  test: 'auto' | 'paired' | 'unpaired';
  examples: string;
  json?: boolean;
}

function columns(c: ModelComparison): Column<CategoryComparison>[] {
  return [
    { header: 'category', value: (r) => r.categoryPath.join(' > '), maxWidth: 45 },
    { header: `${c.modelA} n`, value: (r) => r.a.count, maxWidth: 20 },
    { header: 'share', value: (r) => percent(r.a.share) },
    { header: 'per 100', value: (r) => fixed(r.a.incidence) },
    { header: `${c.modelB} n`, value: (r) => r.b.count, maxWidth: 20 },
    { header: 'share ', value: (r) => percent(r.b.share) },
    { header: 'per 100 ', value: (r) => fixed(r.b.incidence) },
    {
      header: 'A−B per 100 [95% CI]',
      value: (r) => (r.difference === undefined ? '–' : `${fixed(r.difference)} ${interval(r.differenceLow, r.differenceHigh)}`),
      align: 'right',
    },
    ...(c.test.startsWith('paired')
      ? [{ header: 'only A/only B', value: (r: CategoryComparison) => `${r.onlyA}/${r.onlyB}`, align: 'right' as const }]
      : []),
    { header: 'p', value: (r) => pValue(r.p) },
    { header: 'p Holm', value: (r) => pValue(r.pHolm) },
    { header: 'p BH', value: (r) => pValue(r.pBH) },
    { header: 'sig.', value: (r) => (r.significant ? '*' : ''), align: 'left' },
  ];
}

/** The text printed by `errormap compare`. */
export function comparisonText(c: ModelComparison, examplesPerCategory: number, color = false, includedNoError = false): string {
  const lines: string[] = [];
  lines.push(`${c.modelA} (A) vs ${c.modelB} (B), depth ${c.depth}, on ${c.datasets.join(', ')}`);
  lines.push(
    `Test: ${c.test}${c.pairs > 0 ? ` on ${c.pairs} shared examples` : ''}; * = Holm-adjusted p < ${c.alpha}. Incidence = failures in the category per 100 predictions.`,
  );
  lines.push('');
  const rows = [...c.categories].sort((x, y) => x.p - y.p || Math.abs(y.difference ?? 0) - Math.abs(x.difference ?? 0));
  lines.push(formatTable(rows, columns(c), { color }).trimEnd());
  const listing = (title: string, groups: ModelComparison['aFailsBSucceeds']) => {
    if (groups.length === 0 || examplesPerCategory === 0) return;
    lines.push('', title);
    for (const g of groups) {
      lines.push(`  ${g.categoryPath.join(' > ')} (${g.examples.length})`);
      for (const e of g.examples.slice(0, examplesPerCategory)) lines.push(`    ${e.dataset}/${e.exampleId}: ${e.errorTitle}`);
      if (g.examples.length > examplesPerCategory) lines.push(`    … ${g.examples.length - examplesPerCategory} more (--json lists all)`);
    }
  };
  lines.push(
    '',
    noErrorLineText(
      [
        { label: c.modelA, rate: c.noError.a },
        { label: c.modelB, rate: c.noError.b },
      ],
      includedNoError,
    ).trimEnd(),
  );
  listing(`Examples ${c.modelA} fails and ${c.modelB} gets right, by ${c.modelA}'s category:`, c.aFailsBSucceeds);
  listing(`Examples ${c.modelB} fails and ${c.modelA} gets right, by ${c.modelB}'s category:`, c.bFailsASucceeds);
  return `${lines.join('\n')}\n`;
}

/** `errormap compare RUN --models A B [--depth 1] [--alpha 0.05] [--test auto|paired|unpaired] [--json]` */
export function registerCompareCommand(program: Command): void {
  const command = program
    .command('compare')
    .description(
      'Compare two models category by category: incidence per 100 predictions, difference with 95% interval, exact tests with Holm and Benjamini–Hochberg corrections',
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .requiredOption('--models <models...>', 'the two models to compare (A B)');
  addCategoryTestOptions(command)
    .addOption(
      new Option(
        '--test <kind>',
        'paired exact McNemar on shared examples, unpaired Fisher, or auto (paired when every shared example is analysed)',
      )
        .choices(['auto', 'paired', 'unpaired'])
        .default('auto'),
    )
    .option('--examples <n>', 'examples listed per category where one model fails and the other succeeds', '3')
    .option('--json', 'print the full comparison as JSON')
    .action((dir: string, flags: CompareFlags) => {
      if (flags.models.length !== 2) throw new ConfigError(`--models: give exactly two models, got ${flags.models.length}`);
      const { depth, alpha, includeNoError } = parseCategoryTestFlags(flags);
      const examples = Number(flags.examples);
      if (!Number.isInteger(examples) || examples < 0) throw new ConfigError(`--examples ${flags.examples}: expected a whole number`);
      const run = loadRunData(dir);
      const [modelA, modelB] = flags.models;
      const result = compareModels(run, loadExampleOutcomes(dir), {
        modelA,
        modelB,
        depth: depthWithin(depth, [{ dir, taxonomy: run.taxonomy }]),
        alpha,
        test: flags.test,
        includeNoError,
      });
      printWarnings(result.warnings);
      printJsonOrText(
        flags.json,
        () => result,
        () => comparisonText(result, examples, useColor(), includeNoError),
      );
    });
}
