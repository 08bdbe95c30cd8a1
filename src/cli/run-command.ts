import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, RunIncompleteError } from '../errors.js';
import { UsageMeter } from '../judge/index.js';
import { ASSUMED_OUTPUT_TOKENS, type CostEstimate, estimateRun } from '../pipeline/estimate-cost.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { writeHtmlReport } from '../report/html-report.js';
import { OFFLINE_JUDGE, type RunSettings, resolveSettings } from '../settings/run-settings.js';
import { RUN_FILES } from '../store/run-dir.js';
import { addJudgeOptions, type JudgeFlags, resolveJudge } from './judge-options.js';
import { chooseProgressMode, createProgressDisplay } from './progress-display.js';
import { checkFlagSettings, readConfigFile } from './run-config.js';
import { runSummaryText } from './run-summary.js';
import { addSettingOptions, settingsFromFlags } from './setting-options.js';

/** What commander hands over: the setting flags by attribute name, plus the judge and display flags. */
interface RunFlags extends JudgeFlags, Record<string, unknown> {
  config?: string;
  report?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
  json?: boolean;
}

function defaultOut(inputs: string[], judge: string): string {
  const first = inputs[0] ?? 'run';
  const name = basename(resolve(first), extname(first)) || 'run';
  const judgeName = judge === OFFLINE_JUDGE ? 'offline' : judge.replace(/[^A-Za-z0-9._-]+/g, '-');
  return join('runs', `${name}-${judgeName}`);
}

/** Flags win over the config file, which wins over ERRORMAP_JUDGE and the defaults; --threshold adds to the file's thresholds. */
export function resolveRunSettings(inputs: string[], flags: RunFlags, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const config = readConfigFile(flags.config);
  const fromFlags = checkFlagSettings(settingsFromFlags(flags));
  const judge = resolveJudge({ ...flags, judge: fromFlags.judge ?? config.judge }, env);
  const spec = judge.spec ?? OFFLINE_JUDGE;
  const settings = resolveSettings({
    ...config,
    ...fromFlags,
    inputs,
    judge: spec,
    apiKey: judge.apiKey,
    out: fromFlags.out ?? config.out ?? defaultOut(inputs, spec),
    thresholds: { ...(config.thresholds ?? {}), ...(fromFlags.thresholds ?? {}) },
  });
  checkJudgeOnlyOptions(settings);
  return settings;
}

/** Options that only mean something with a judge are an error offline, not silently ignored. */
function checkJudgeOnlyOptions(s: RunSettings): void {
  if (s.judge.judge !== OFFLINE_JUDGE) return;
  const given = [
    s.judge.batch && '--batch',
    s.judge.budget !== undefined && '--budget',
    s.taxonomy.taxonomyFile && '--taxonomy',
    s.analysis.precheck === 'label' && '--precheck label',
    s.judge.reasoning && '--reasoning',
  ].filter(Boolean);
  if (given.length === 0) return;
  const [verb, them] = given.length === 1 ? ['needs', 'it'] : ['need', 'them'];
  throw new ConfigError(
    `${given.join(', ')} ${verb} an LLM judge, and none is given (offline, the detectors file every failure without one): add --judge provider:model, or leave ${them} out`,
  );
}

function estimateText(e: CostEstimate): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Dry run with judge ${e.judge}: ${n(e.sampled)} sampled failures.`,
    `  filed by pre-checks without a call: ${n(e.labelled)}`,
    `  already answered in this run directory: ${n(e.cached)}`,
    `  analysis calls to send: ${n(e.toSend)}, about ${n(e.inputTokens)} input tokens and ${n(e.outputTokens)} output tokens (${ASSUMED_OUTPUT_TOKENS} assumed per answer)`,
    `  of the input tokens, about ${n(e.cachedInputTokens)} (${e.inputTokens ? ((e.cachedInputTokens / e.inputTokens) * 100).toFixed(1) : '0.0'}%) can be read from the provider's prompt cache: failures of one example share their prompt up to the failing output`,
  ];
  if (e.costUsd !== undefined) {
    lines.push(
      `  estimated cost: $${e.costUsd.toFixed(2)} at $${e.price?.input}/$${e.price?.output} per million tokens; with --batch about $${(e.batchCostUsd ?? 0).toFixed(2)}`,
    );
  } else {
    lines.push('  cost: no known price for this model; give --price INPUT,OUTPUT (USD per million tokens)');
  }
  lines.push('  The taxonomy stage adds calls that carry only error titles (usually a small share of the tokens).');
  return `${lines.join('\n')}\n`;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('Analyse why models fail: read results, sample failures, analyse each, build the error taxonomy')
    .argument('<inputs...>', 'result files or folders (CSV, JSONL, Parquet, HELM, lm-eval, Inspect, promptfoo)');
  addJudgeOptions(command);
  command.option('--config <file>', 'JSON file with any run settings, e.g. {"thresholds": {"mmlu_pro": 1}}');
  addSettingOptions(command, ['judge', 'baseUrl'])
    .option('--report', `also write ${RUN_FILES.report}`)
    .option('--dry-run', 'count the judge calls, tokens and cost the analyses would take, and stop (no call, no key needed)')
    .option('-q, --quiet', 'print only warnings and the result')
    .option('--json', 'print progress events and the result as JSON')
    .action(async (inputs: string[], flags: RunFlags) => {
      const settings = resolveRunSettings(inputs, flags);
      const meter = new UsageMeter();
      const progress = createProgressDisplay(chooseProgressMode(flags), meter);
      if (settings.judge.judge === OFFLINE_JUDGE) {
        progress.info(
          `No judge configured: running the offline analyst (deterministic detectors, no API key, no network). Use --judge provider:model for LLM analysis.`,
        );
      }
      if (flags.dryRun) {
        const estimate = await estimateRun(settings, progress);
        process.stdout.write(flags.json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate));
        return;
      }
      const result = await runPipeline(settings, { progress, meter });
      let reportPath: string | undefined;
      if (flags.report) reportPath = writeHtmlReport(result.dir).file;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ dir: result.dir, record: result.record, taxonomy: result.taxonomy }, null, 2)}\n`);
      } else {
        process.stdout.write(runSummaryText(result, reportPath));
      }
      // Everything is written; the exit status still says the run is not whole.
      const incomplete = result.record.incomplete;
      if (incomplete && !settings.output.allowIncomplete) throw new RunIncompleteError(incomplete.summary);
      if (incomplete) progress.warn(incomplete.summary);
    });
}
