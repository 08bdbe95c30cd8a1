import type { Command } from 'commander';
import { type JudgeCheckResult, runAnalysisCheck, runCategoryChoice } from '../chart/judge-checks.js';
import { findNoiseCandidates, type NoiseCandidates } from '../chart/noise.js';
import {
  type Coverage,
  computeCoverage,
  computeStability,
  planAnalysisChecks,
  planCategoryChoices,
  type Rate,
  type Stability,
} from '../chart/validate.js';
import { ConfigError } from '../errors.js';
import { createJudge } from '../judge/index.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadRunData } from '../store/run-data.js';
import { RUN_FILES, writeRunJson } from '../store/run-dir.js';
import type { TaskUsage } from '../store/run-record.js';
import { RunStore } from '../store/run-store.js';
import { positiveInt } from './chart-flags.js';
import { addJudgeOptions, type JudgeFlags, resolveJudge } from './judge-options.js';
import { printJsonOrText } from './print-result.js';
import { percent } from './table.js';

interface ValidateFlags extends JudgeFlags {
  sample: string;
  against?: string;
  seed: string;
  depth: string;
  prompts?: string;
  concurrency: string;
  json?: boolean;
}

/** The content of the run's validation file. */
export interface ValidationReport {
  run: string;
  runJudge: string;
  seed: number;
  sample: number;
  coverage: Coverage;
  categoryChoice?: JudgeCheckResult;
  analysisCheck?: JudgeCheckResult;
  judgeUsage?: Record<string, TaskUsage>;
  stability?: Stability & { against: string };
  noise: NoiseCandidates;
}

const rateText = (r: Rate) =>
  r.n === 0 ? 'n/a (nothing to check)' : `${percent(r.rate)} (${r.hits}/${r.n}, 95% CI ${percent(r.ciLow)}–${percent(r.ciHigh)})`;

/** The summary printed by `errormap validate`. */
export function validationText(v: ValidationReport): string {
  const lines = [`Validation of ${v.run} (analysed by ${v.runJudge})`, ''];
  lines.push(`Coverage (analysed failures explained outside Other / Hard to Analyze): ${rateText(v.coverage)}`);
  for (const u of v.coverage.unexplained) lines.push(`  unexplained: ${u.name} ${u.count}`);
  if (v.coverage.noErrorUnplaced > 0)
    lines.push(`  left out: ${v.coverage.noErrorUnplaced} failures where the judge found no error and that are not filed`);
  const check = (label: string, r: JudgeCheckResult | undefined, chance: string) => {
    if (!r) return;
    lines.push(`${label} by ${r.judge}: ${rateText(r.acceptance)}${chance}${r.failedCalls > 0 ? `; ${r.failedCalls} calls failed` : ''}`);
  };
  check('Category choice (assigned vs random category at the same depth)', v.categoryChoice, '; chance 50%');
  check('Analysis check (error title and summary accurate)', v.analysisCheck, '');
  if (!v.categoryChoice && !v.analysisCheck) lines.push('Judge checks skipped: give --judge provider:model (a second judge) to run them.');
  if (v.stability) {
    const s = v.stability;
    lines.push(`Stability against ${s.against}:`);
    lines.push(
      `  category precision ${rateText(s.categoryPrecision)}; recall ${rateText(s.categoryRecall)} (${s.matchedById} matched by id, ${s.matchedByName} by name)`,
    );
    lines.push(
      s.agreement.n === 0
        ? '  no failure placed in both runs'
        : `  assignment agreement at depth ${s.depth}: ${percent(s.agreement.observed)} of ${s.agreement.n} shared failures, Cohen's kappa ${s.agreement.kappa.toFixed(3)}`,
    );
  }
  lines.push(
    `Suspected benchmark noise: ${v.noise.hardExamples.length} examples most models fail; ${v.noise.judgedCorrect.length} failures with no error found (details in ${RUN_FILES.validation})`,
  );
  return `${lines.join('\n')}\n`;
}

/** `errormap validate RUN [--judge provider:model] [--sample 50] [--against RUN_B] [--seed 42] [--json]` */
export function registerValidateCommand(program: Command): void {
  const command = program
    .command('validate')
    .description(
      `Check a run: taxonomy coverage; with a second judge, forced-choice category checks and analysis checks; with --against, stability between two runs. Writes ${RUN_FILES.validation}`,
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--sample <n>', 'failures checked per judge task', '50')
    .option('--against <run>', 'another run of the same data, for stability')
    .option('--seed <n>', 'seed of the sample and of the option order', '42')
    .option('--depth <n>', 'taxonomy depth for assignment agreement', '1')
    .option('--prompts <dir>', 'folder overriding prompt templates')
    .option('--concurrency <n>', 'judge calls in flight', '4')
    .option('--json', `print ${RUN_FILES.validation}`);
  addJudgeOptions(command, 'second judge for the category-choice and analysis checks');
  command.action(async (dir: string, flags: ValidateFlags) => {
    const sample = positiveInt('--sample', flags.sample);
    const depth = positiveInt('--depth', flags.depth);
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed)) throw new ConfigError(`--seed ${flags.seed}: expected a whole number`);
    const run = loadRunData(dir);
    const report: ValidationReport = {
      run: dir,
      runJudge: run.record.judge,
      seed,
      sample,
      coverage: computeCoverage(run),
      noise: findNoiseCandidates(run, loadExampleOutcomes(dir)),
    };
    if (flags.judge) {
      if (flags.judge === 'offline')
        throw new ConfigError('--judge: the validation checks need an LLM judge (provider:model), not offline');
      if (flags.judge === run.record.judge)
        process.stderr.write(`errormap: ${flags.judge} also analysed this run; a different judge gives an independent check\n`);
      // Only an explicit --judge runs the checks: $ERRORMAP_JUDGE is likely the judge that made the run.
      const connection = resolveJudge(flags, process.env, { fromEnv: false });
      const prompts = loadPromptSet(flags.prompts, ['category_choice', 'analysis_check']);
      // Answers go to the run's call cache, so an interrupted validation resumes without paying twice.
      const store = RunStore.open(dir);
      try {
        const judge = createJudge({
          spec: flags.judge,
          baseUrl: connection.baseUrl,
          apiKey: connection.apiKey,
          concurrency: positiveInt('--concurrency', flags.concurrency),
          cache: store.callCache(),
        });
        report.categoryChoice = await runCategoryChoice(judge, prompts, planCategoryChoices(run, sample, seed));
        report.analysisCheck = await runAnalysisCheck(judge, prompts, planAnalysisChecks(run, sample, seed));
        report.judgeUsage = judge.meter.snapshot();
      } finally {
        store.close();
      }
    }
    if (flags.against) report.stability = { ...computeStability(run, loadRunData(flags.against), depth), against: flags.against };
    const written = writeRunJson(dir, 'validation', report);
    printJsonOrText(
      flags.json,
      () => report,
      () => `${validationText(report)}\nWrote ${written}.\n`,
    );
  });
}
