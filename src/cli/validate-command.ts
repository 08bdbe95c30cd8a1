import type { Command } from 'commander';
import type { JudgeCheckResult } from '../chart/judge-checks.js';
import { type SummaryRow, type ValidationReport, validateRun } from '../chart/run-validation.js';
import { ConfigError } from '../errors.js';
import { createEmbedder } from '../judge/create-embedder.js';
import { createJudge } from '../judge/index.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadRunData } from '../store/run-data.js';
import { RUN_FILES, writeRunJson } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { depthWithin, positiveInt, probability } from './chart-flags.js';
import { addJudgeOptions, type JudgeFlags, resolveJudge } from './judge-options.js';
import { printJsonOrText } from './print-result.js';
import { runSettingOption } from './setting-options.js';
import { type Column, fixed, formatTable, interval, percent } from './table.js';

export type { ValidationReport } from '../chart/run-validation.js';

interface ValidateFlags extends JudgeFlags {
  sample: string;
  level: string;
  against?: string;
  rebuild?: boolean;
  rebuildRatio: string;
  embedder?: string;
  embedderBaseUrl?: string;
  /** The run settings' seed and concurrency, checked as commander reads them. */
  seed: number;
  depth: string;
  prompts?: string;
  concurrency: number;
  json?: boolean;
}

const shown = (r: SummaryRow) => (r.scale === 'percent' ? percent : (x: number | undefined) => fixed(x, 3));

const SUMMARY_COLUMNS: Column<SummaryRow>[] = [
  { header: 'figure', value: (r) => r.figure },
  { header: 'value', value: (r) => (Number.isNaN(r.value) ? 'n/a' : shown(r)(r.value)) },
  { header: '95% CI', value: (r) => (r.n === 0 ? '–' : interval(r.ciLow, r.ciHigh, shown(r))), align: 'right' },
  { header: 'n', value: (r) => r.n },
  { header: 'note', value: (r) => r.note, align: 'left', maxWidth: 70 },
];

function checkLine(label: string, r: JudgeCheckResult, extra: string): string {
  const a = r.acceptance;
  const rate =
    a.n === 0 ? 'n/a (nothing to check)' : `${percent(a.rate)} (${a.hits}/${a.n}, 95% CI ${percent(a.ciLow)}–${percent(a.ciHigh)})`;
  return `${label} by ${r.judge}: ${rate}${extra}${r.failedCalls > 0 ? `; ${r.failedCalls} calls failed` : ''}`;
}

/** The text printed by `errormap validate`: the details, then one summary table. */
export function validationText(v: ValidationReport): string {
  const lines = [`Validation of ${v.run} (analysed by ${v.runJudge})`, ''];
  lines.push(`Coverage: ${percent(v.coverage.rate)} of ${v.coverage.analysed} analysed failures are explained by a category`);
  for (const u of v.coverage.unexplained) lines.push(`  not explained: ${u.name} ${u.count}`);
  if (v.categoryChoice) {
    const c = v.categoryChoice;
    lines.push(checkLine('Forced choice (assigned vs random category at the same depth)', c, '; chance 50%'));
    const say = { pass: 'the whole interval lies above', fail: 'the whole interval lies below', inconclusive: 'the interval includes' }[
      c.verdict
    ];
    lines.push(`  verdict: ${c.verdict.toUpperCase()} at level ${percent(c.level)} (${say} it; --sample and --level set the check)`);
  }
  if (v.analysisCheck) lines.push(checkLine('Analysis acceptance (error title and summary accurate)', v.analysisCheck, ''));
  if (!v.categoryChoice) lines.push('Judge checks skipped: give --judge provider:model (a second judge) to run them.');
  if (v.stability) {
    const s = v.stability;
    lines.push(
      s.agreement.n === 0
        ? `Assignments against ${s.against}: no failure placed in both runs`
        : `Assignments against ${s.against} at depth ${s.depth}: ${percent(s.agreement.observed)} of ${s.agreement.n} shared failures agree, Cohen's kappa ${s.agreement.kappa.toFixed(3)}`,
    );
  }
  for (const s of v.semanticStability) {
    const m = s.matching;
    const where = s.rebuild
      ? `a rebuild on ${s.rebuild.sampled} of ${s.rebuild.of} errors (seeded ${percent(s.rebuild.ratio)} sample)`
      : s.against;
    lines.push(
      `Stability against ${where}: ${m.pairs.length} equivalent pairs from ${m.asked} candidate pairs${m.failedCalls > 0 ? ` (${m.failedCalls} calls failed)` : ''}`,
    );
    for (const w of s.rebuild?.warnings ?? []) lines.push(`  rebuild warning: ${w}`);
  }
  lines.push(
    `Suspected benchmark noise: ${v.noise.hardExamples.length} examples most models fail; ${v.noise.judgedCorrect.length} failures with no error found (details in ${RUN_FILES.validation})`,
  );
  lines.push('', formatTable(v.summary, SUMMARY_COLUMNS).trimEnd(), '', verdictLine(v));
  return `${lines.join('\n')}\n`;
}

/** The last line: the forced-choice verdict in words, or why there is none. */
export function verdictLine(v: ValidationReport): string {
  const c = v.categoryChoice;
  if (!c)
    return `Verdict: NOT CHECKED: only coverage was measured (${percent(v.coverage.rate)}); a second judge (--judge provider:model) runs the forced-choice check that gives a verdict.`;
  const a = c.acceptance;
  const measured = `${percent(a.rate)}, 95% CI ${percent(a.ciLow)}–${percent(a.ciHigh)}, level ${percent(c.level)}`;
  const meaning = {
    pass: `the second judge picks the run's category over a random one clearly more often than the level (${measured})`,
    fail: `the second judge picks the run's category over a random one less often than the level (${measured}); the categories do not fit their failures`,
    inconclusive: `the acceptance interval includes the level (${measured}); check more failures with a larger --sample`,
  }[c.verdict];
  return `Verdict: ${c.verdict.toUpperCase()}: ${meaning}.`;
}

/** `errormap validate RUN [--judge provider:model] [--sample 100] [--level 0.5] [--against RUN_B] [--rebuild] [--embedder provider:model] [--json]` */
export function registerValidateCommand(program: Command): void {
  const command = program
    .command('validate')
    .description(
      `Check a run: coverage; with a second judge, forced-choice category checks with a verdict, analysis acceptance and semantic stability (--against, --rebuild) with label similarity (--embedder). Writes ${RUN_FILES.validation}`,
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--sample <n>', 'failures checked per judge task', '100')
    .option('--level <p>', 'forced-choice acceptance the whole 95% interval must clear to pass (chance is 0.5)', '0.5')
    .option('--against <run>', 'another run of the same data, for stability')
    .option(
      '--rebuild',
      'build a second taxonomy from a seeded sample of the run’s errors and measure stability against it (needs --judge)',
    )
    .option('--rebuild-ratio <r>', 'share of the errors the rebuild starts from', '0.1')
    .option('--embedder <provider:model>', 'embedding model for the label similarity of matched categories')
    .option('--embedder-base-url <url>', 'base URL of the embedder (default: --base-url)')
    .addOption(runSettingOption('seed', 'seed of the samples and of the option order'))
    .option('--depth <n>', 'taxonomy depth for assignment agreement with --against', '1')
    .option('--prompts <dir>', 'folder overriding prompt templates (validation prompts, and the rebuild’s taxonomy prompts)')
    .addOption(runSettingOption('concurrency'))
    .option('--json', `print ${RUN_FILES.validation}`);
  addJudgeOptions(command, 'second judge for the checks, the rebuild and the category matching');
  command.action(async (dir: string, flags: ValidateFlags) => {
    const settings = {
      seed: flags.seed,
      sample: positiveInt('--sample', flags.sample),
      level: probability('--level', flags.level),
      depth: positiveInt('--depth', flags.depth),
      rebuildRatio: flags.rebuild ? probability('--rebuild-ratio', flags.rebuildRatio) : undefined,
      promptsDir: flags.prompts,
    };
    if (flags.judge === 'offline') throw new ConfigError('--judge: the validation checks need an LLM judge (provider:model), not offline');
    if (!flags.judge && (flags.rebuild || flags.embedder))
      throw new ConfigError(`${flags.rebuild ? '--rebuild' : '--embedder'}: needs --judge provider:model to match categories`);
    // Only an explicit --judge runs the checks: $ERRORMAP_JUDGE is likely the judge that made the run.
    const connection = resolveJudge(flags, process.env, { fromEnv: false });
    const run = loadRunData(dir);
    const against = flags.against ? { dir: flags.against, run: loadRunData(flags.against) } : undefined;
    // --depth sets the level assignments are compared at, so it must exist in both runs.
    if (against)
      for (const r of [
        { dir, taxonomy: run.taxonomy },
        { dir: against.dir, taxonomy: against.run.taxonomy },
      ])
        depthWithin(settings.depth, [r]);
    if (flags.judge && flags.judge === run.record.judge)
      process.stderr.write(`errormap: ${flags.judge} also analysed this run; a different judge gives an independent check\n`);
    const embedder = flags.embedder
      ? createEmbedder({ spec: flags.embedder, baseUrl: flags.embedderBaseUrl ?? connection.baseUrl, apiKey: connection.apiKey })
      : undefined;
    // Answers go to the run's call cache, so an interrupted validation resumes without paying twice.
    const store = flags.judge ? RunStore.open(dir) : undefined;
    let report: ValidationReport;
    try {
      const judge = flags.judge
        ? createJudge({
            spec: flags.judge,
            baseUrl: connection.baseUrl,
            apiKey: connection.apiKey,
            concurrency: flags.concurrency,
            cache: store?.callCache(),
          })
        : undefined;
      report = await validateRun(run, settings, { judge, embedder, against, outcomes: loadExampleOutcomes(dir) });
    } finally {
      store?.close();
    }
    const written = writeRunJson(dir, 'validation', report);
    printJsonOrText(
      flags.json,
      () => report,
      () => `${validationText(report)}\nWrote ${written}.\n`,
    );
  });
}
