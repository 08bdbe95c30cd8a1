import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import pc from 'picocolors';
import { ConfigError } from '../errors.js';
import { UsageMeter } from '../judge/index.js';
import { REASONING_LEVELS, type ReasoningLevel } from '../judge/reasoning.js';
import { ASSUMED_OUTPUT_TOKENS, type CostEstimate, estimateRun } from '../pipeline/estimate-cost.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import type { PrecheckMode, RunSettings } from '../pipeline/run-settings.js';
import { DEFAULT_RUN_SETTINGS, OFFLINE_JUDGE } from '../pipeline/run-settings.js';
import { parseThresholdFlags } from '../prepare/threshold-overrides.js';
import { writeHtmlReport } from '../report/html-report.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';
import { chooseProgressMode, createProgressDisplay } from './progress-display.js';
import { checkFlagSettings, readConfigFile } from './run-config.js';

interface RunFlags {
  judge?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  out?: string;
  config?: string;
  format?: string;
  metric?: string;
  filter?: string;
  threshold: string[];
  ratio?: string;
  seed?: string;
  maxErrors?: string;
  models?: string[];
  references?: string;
  textBudget?: string;
  precheck?: PrecheckMode;
  prompts?: string;
  concurrency?: string;
  maxRetries?: string;
  timeout?: string;
  temperature?: string;
  reasoning?: ReasoningLevel;
  price?: string;
  structuredOutputs: boolean;
  batch?: boolean;
  batchPoll?: string;
  maxDepth?: string;
  maxCategories?: string;
  minShare?: string;
  taxonomy?: string;
  report?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** A number from a flag; NaN when it is not one, which the settings check then reports. */
function numeric(value: string | undefined): number | undefined {
  return value === undefined ? undefined : value.trim() === '' ? Number.NaN : Number(value);
}

function defaultOut(inputs: string[], judge: string): string {
  const first = inputs[0] ?? 'run';
  const name = basename(resolve(first), extname(first)) || 'run';
  const judgeName = judge === OFFLINE_JUDGE ? 'offline' : judge.replace(/[^A-Za-z0-9._-]+/g, '-');
  return join('runs', `${name}-${judgeName}`);
}

function parsePrice(text: string): { input: number; output: number } {
  const [input, output] = text.split(',').map(Number);
  if (!Number.isFinite(input) || !Number.isFinite(output))
    throw new ConfigError('--price: expected "INPUT,OUTPUT" in USD per million tokens');
  return { input, output };
}

/** Settings given as flags (only those given), in the config file's shape. */
function flagSettings(flags: RunFlags): Record<string, unknown> {
  const given: Record<string, unknown> = {
    judge: flags.judge,
    baseUrl: flags.baseUrl,
    out: flags.out,
    format: flags.format,
    metric: flags.metric,
    filter: flags.filter,
    concurrency: numeric(flags.concurrency),
    maxRetries: numeric(flags.maxRetries),
    timeoutMs: flags.timeout === undefined ? undefined : (numeric(flags.timeout) ?? Number.NaN) * 1000,
    temperature: numeric(flags.temperature),
    structuredOutputs: flags.structuredOutputs === false ? false : undefined,
    reasoning: flags.reasoning,
    price: flags.price === undefined ? undefined : parsePrice(flags.price),
    batch: flags.batch,
    batchPollSeconds: numeric(flags.batchPoll),
    ratio: numeric(flags.ratio),
    seed: numeric(flags.seed),
    maxErrors: numeric(flags.maxErrors),
    models: flags.models?.flatMap((m) => m.split(',')).filter(Boolean),
    maxReferences: numeric(flags.references),
    textBudget: numeric(flags.textBudget),
    precheck: flags.precheck,
    promptsDir: flags.prompts,
    maxDepth: numeric(flags.maxDepth),
    maxCategories: numeric(flags.maxCategories),
    minShare: numeric(flags.minShare),
    taxonomyFile: flags.taxonomy,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}

/** Flags win over the config file, which wins over ERRORMAP_JUDGE and the defaults. */
export function resolveRunSettings(inputs: string[], flags: RunFlags, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const config = readConfigFile(flags.config);
  const fromFlags = checkFlagSettings(flagSettings(flags));
  const judge = fromFlags.judge ?? config.judge ?? (env.ERRORMAP_JUDGE || OFFLINE_JUDGE);
  let apiKey: string | undefined;
  if (flags.apiKeyEnv) {
    apiKey = env[flags.apiKeyEnv];
    if (!apiKey) throw new ConfigError(`--api-key-env: the environment variable ${flags.apiKeyEnv} is not set`);
  }
  const settings: RunSettings = {
    ...DEFAULT_RUN_SETTINGS,
    ...config,
    ...fromFlags,
    inputs,
    judge,
    apiKey,
    out: fromFlags.out ?? config.out ?? defaultOut(inputs, judge),
    thresholds: { ...(config.thresholds ?? {}), ...parseThresholdFlags(flags.threshold) },
  };
  checkJudgeOnlyOptions(settings);
  return settings;
}

/** Options that only mean something with a judge are an error offline, not silently ignored. */
function checkJudgeOnlyOptions(s: RunSettings): void {
  if (s.judge !== OFFLINE_JUDGE) return;
  const given = [s.batch && '--batch', s.taxonomyFile && '--taxonomy', s.precheck === 'label' && '--precheck label', s.reasoning && '--reasoning'].filter(Boolean);
  if (given.length > 0)
    throw new ConfigError(`${given.join(', ')}: needs a judge; give --judge provider:model (offline, the detectors file every failure)`);
}

function estimateText(e: CostEstimate): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Dry run with judge ${e.judge}: ${n(e.sampled)} sampled failures.`,
    `  filed by pre-checks without a call: ${n(e.labelled)}`,
    `  already answered in this run directory: ${n(e.cached)}`,
    `  analysis calls to send: ${n(e.toSend)}, about ${n(e.inputTokens)} input tokens and ${n(e.outputTokens)} output tokens (${ASSUMED_OUTPUT_TOKENS} assumed per answer)`,
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
  const d = DEFAULT_RUN_SETTINGS;
  program
    .command('run')
    .description('Analyse why models fail: read results, sample failures, analyse each, build the error taxonomy')
    .argument('<inputs...>', 'result files or folders (CSV, JSONL, Parquet, HELM, lm-eval, Inspect, promptfoo)')
    .option(
      '--judge <provider:model>',
      'judge LLM, e.g. openai:gpt-4.1-mini, anthropic:claude-sonnet-4-0, vllm:qwen2.5-72b; "offline" needs no key (default: $ERRORMAP_JUDGE or offline)',
    )
    .option('--base-url <url>', 'base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio)')
    .option('--api-key-env <VAR>', 'read the judge key from this environment variable instead of the provider default')
    .option('-o, --out <dir>', 'run directory (default: runs/<input>-<judge>); running again resumes it')
    .option('--config <file>', 'JSON file with any run settings, e.g. {"thresholds": {"mmlu_pro": 1}}')
    .option('--format <name>', 'input format, when detection is not wanted')
    .option('--metric <name>', 'score metric for inputs that log several (HELM, lm-eval, Inspect)')
    .option('--filter <name>', 'lm-eval filter to use when several were logged')
    .option(
      '--threshold <dataset=value>',
      'success threshold of a dataset (repeatable); default round(0.7 × mean, 2)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--ratio <r>', `share of failures to analyse per (model, dataset) (default: ${d.ratio})`)
    .option('--seed <n>', `seed for sampling and shuffling (default: ${d.seed})`)
    .option('--max-errors <n>', 'cap on the number of failures analysed')
    .option('--models <names...>', "analyse only these models' failures (all models still serve as references)")
    .option('--references <n>', `correct outputs of other models shown to the judge (0 disables) (default: ${d.maxReferences})`)
    .option('--text-budget <chars>', `characters kept per text before it is cut with a marker (default: ${d.textBudget})`)
    .addOption(
      new Option(
        '--precheck <mode>',
        `detectors: hint the judge, label mechanical failures without a call, or off (default: ${d.precheck})`,
      ).choices(['hint', 'label', 'off']),
    )
    .option('--prompts <dir>', 'folder of prompt templates overriding the built-in ones')
    .option('--concurrency <n>', `judge calls in flight (default: ${d.concurrency})`)
    .option('--max-retries <n>', `retries of a failed call (429, 5xx, timeouts) (default: ${d.maxRetries})`)
    .option('--timeout <seconds>', `timeout of one judge call (default: ${d.timeoutMs / 1000})`)
    .option('--temperature <t>', `judge temperature (default: ${d.temperature})`)
    .addOption(
      new Option(
        '--reasoning <level>',
        "reasoning effort through the judge provider's own option (OpenAI, Azure, Anthropic, Google, compatible servers, which also get a \"Reasoning: LEVEL\" prompt line)",
      ).choices([...REASONING_LEVELS]),
    )
    .option('--price <in,out>', 'judge price in USD per million input and output tokens, for cost accounting')
    .option(
      '--batch',
      'send the analyses through the provider batch API first (OpenAI, Azure, compatible servers, Anthropic): about half the price, answers within 24 h; a killed run resumes the same batch',
    )
    .option('--batch-poll <seconds>', `first wait between batch status checks (grows to 10 minutes) (default: ${d.batchPollSeconds})`)
    .option('--no-structured-outputs', 'ask for JSON in the prompt instead of a JSON schema (servers without schema support)')
    .option('--max-depth <n>', `category levels below the root (default: ${d.maxDepth})`)
    .option('--max-categories <n>', `cap on categories per node (also limited to ceil(0.1 × failures at the node)) (default: ${d.maxCategories})`)
    .option('--min-share <s>', `merge categories under this share into Other (default: ${d.minShare})`)
    .option('--taxonomy <file>', 'atlas mode: classify into this fixed taxonomy instead of building one')
    .option('--report', 'also write report.html')
    .option('--dry-run', 'count the judge calls, tokens and cost the analyses would take, and stop (no call, no key needed)')
    .option('-q, --quiet', 'print only warnings and the result')
    .option('--json', 'print progress events and the result as JSON')
    .action(async (inputs: string[], flags: RunFlags) => {
      const settings = resolveRunSettings(inputs, flags);
      const meter = new UsageMeter();
      const progress = createProgressDisplay(chooseProgressMode(flags), () => meter.snapshot());
      if (settings.judge === OFFLINE_JUDGE) {
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
        return;
      }
      const out = (s: string) => process.stdout.write(s);
      printTopCategories(result.taxonomy, out);
      const c = result.record.counts;
      out(
        `\n${c.analysed} failures analysed (${c.noError} with no error found, ${c.analysisFailed} could not be analysed) by ${result.record.judge}.\n`,
      );
      if (result.record.precheck)
        out(
          `Pre-checks filed ${result.record.precheck.filed} failures without a judge call (about ${result.record.precheck.estimatedTokensSaved.toLocaleString('en-US')} tokens saved).\n`,
        );
      out(`Taxonomy: ${join(result.dir, 'taxonomy.json')}\nErrors:   ${join(result.dir, 'errors.csv')}\n`);
      if (reportPath) out(`Report:   ${reportPath}\n`);
    });
}
