import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { TaskUsage } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ConfigError, RunIncompleteError } from '../errors.js';
import { UsageMeter } from '../judge/index.js';
import { ASSUMED_OUTPUT_TOKENS, type CostEstimate, estimateRun } from '../pipeline/estimate-cost.js';
import { type RunResult, runPipeline } from '../pipeline/run-pipeline.js';
import { writeHtmlReport } from '../report/html-report.js';
import { OFFLINE_JUDGE, type RunSettings, resolveSettings } from '../settings/run-settings.js';
import { RUN_FILES, runFile } from '../store/run-dir.js';
import { addJudgeOptions, type JudgeFlags, resolveJudge } from './judge-options.js';
import { chooseProgressMode, createProgressDisplay } from './progress-display.js';
import { checkFlagSettings, readConfigFile } from './run-config.js';
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

/** Judge calls, tokens (with the share the provider served from its prompt cache) and cost of a run. */
export function usageLine(usage: Record<string, TaskUsage>): string {
  const t = Object.values(usage).reduce(
    (sum, u) => ({
      calls: sum.calls + u.calls,
      cachedCalls: sum.cachedCalls + u.cachedCalls,
      input: sum.input + u.inputTokens,
      cached: sum.cached + (u.cachedInputTokens ?? 0),
      written: sum.written + (u.cacheWriteTokens ?? 0),
      output: sum.output + u.outputTokens,
      cost: sum.cost + u.costUsd,
    }),
    { calls: 0, cachedCalls: 0, input: 0, cached: 0, written: 0, output: 0, cost: 0 },
  );
  const n = (x: number) => x.toLocaleString('en-US');
  const written = t.written ? `, ${n(t.written)} written to it` : '';
  const share = t.input > 0 ? ` (${((t.cached / t.input) * 100).toFixed(1)}% read from the provider's prompt cache${written})` : '';
  return `Judge: ${n(t.calls)} requests sent, ${n(t.cachedCalls)} answered from the run's cache; ${n(t.input)} input tokens${share}, ${n(t.output)} output tokens; cost $${t.cost.toFixed(4)}.`;
}

function printTopCategories(root: TaxonomyNode, write: (s: string) => void): void {
  write(`\n${pc.bold('Top error categories')} (${root.count} analysed failures)\n`);
  const byCount = (nodes: TaxonomyNode[]) => nodes.filter((n) => n.count > 0).sort((a, b) => b.count - a.count);
  const rows: { name: string; node: TaxonomyNode; child: boolean }[] = [];
  for (const c of byCount(root.children)) {
    rows.push({ name: c.name, node: c, child: false });
    for (const g of byCount(c.children).slice(0, 3)) rows.push({ name: `  ${g.name}`, node: g, child: true });
  }
  const width = Math.min(48, Math.max(10, ...rows.map((r) => r.name.length)));
  for (const r of rows) {
    const name = r.name.length > width ? `${r.name.slice(0, width - 1)}…` : r.name;
    const line = `  ${name.padEnd(width)} ${String(r.node.count).padStart(6)}  ${(r.node.share * 100).toFixed(1).padStart(5)}%\n`;
    write(r.child ? pc.dim(line) : line);
  }
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
      const progress = createProgressDisplay(chooseProgressMode(flags), () => meter.snapshot());
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
        printRunResult(result, reportPath);
      }
      // Everything is written; the exit status still says the run is not whole.
      const incomplete = result.record.incomplete;
      if (incomplete && !settings.output.allowIncomplete) throw new RunIncompleteError(incomplete.summary);
      if (incomplete) progress.warn(incomplete.summary);
    });
}

function printRunResult(result: RunResult, reportPath: string | undefined): void {
  const out = (s: string) => process.stdout.write(s);
  printTopCategories(result.taxonomy, out);
  const c = result.record.counts;
  out(
    `\n${c.analysed} failures analysed (${c.noError} with no error found, ${c.analysisFailed} could not be analysed) by ${result.record.judge}.\n`,
  );
  if (!result.record.offline) out(`${usageLine(result.record.usage)}\n`);
  if (result.record.precheck)
    out(
      `Pre-checks filed ${result.record.precheck.filed} failures without a judge call (about ${result.record.precheck.estimatedTokensSaved.toLocaleString('en-US')} tokens saved).\n`,
    );
  out(`Taxonomy: ${runFile(result.dir, 'taxonomy')}\nErrors:   ${runFile(result.dir, 'errors')}\n`);
  if (reportPath) out(`Report:   ${reportPath}\n`);
}
