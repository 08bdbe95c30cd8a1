import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { judgeCallKey, judgeParameters, lookupPrice, parseJudgeSpec, requireProvider } from '../judge/index.js';
import { batchCostOf, costOf, type Price } from '../judge/prices.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { OFFLINE_JUDGE, type RunSettings } from '../settings/run-settings.js';
import { runFile } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { analysisRequestOf, planFailures } from './analysis-plan.js';
import { prepareStage } from './prepare-stage.js';
import type { ProgressReporter } from './progress.js';
import { silentProgress } from './progress.js';
import type { StageContext } from './stage-context.js';

/** Output tokens assumed per failure analysis (criteria, grades, title and summary), for the estimate. */
export const ASSUMED_OUTPUT_TOKENS = 400;
/** Characters per token, the usual rough figure for English text and code. */
const CHARS_PER_TOKEN = 4;

/**
 * Tokens of a shared prompt prefix a provider bills as cached: from 1,024 tokens on, in 128-token
 * steps (OpenAI's published rule; Anthropic's minimum for most models is the same 1,024).
 */
export function cacheablePrefixTokens(prefixChars: number): number {
  const tokens = Math.floor(prefixChars / CHARS_PER_TOKEN);
  return tokens < 1024 ? 0 : Math.floor(tokens / 128) * 128;
}

export interface CostEstimate {
  judge: string;
  sampled: number;
  /** Failures --precheck label would file without a call. */
  labelled: number;
  /** Requests already answered in this run directory's cache (free). */
  cached: number;
  /** Analysis requests that would be sent. */
  toSend: number;
  inputTokens: number;
  /**
   * Of inputTokens, those a provider's prompt cache would serve: the prompt up to the failing output,
   * for every failure after the first of its example (see cacheablePrefixTokens).
   */
  cachedInputTokens: number;
  /** Of inputTokens, those written to the cache by each example's first failure (billed extra by Anthropic). */
  cacheWriteTokens: number;
  /** ASSUMED_OUTPUT_TOKENS per request. */
  outputTokens: number;
  price?: Price;
  costUsd?: number;
  batchCostUsd?: number;
}

/**
 * `errormap run --dry-run`: reads, samples and plans exactly as a run would, then counts what the
 * failure analyses would send and cost, without any judge call (and without an API key). The
 * taxonomy stage comes on top: its calls carry only error titles, usually a small share of the tokens.
 */
export async function estimateRun(settings: RunSettings, progress: ProgressReporter = silentProgress): Promise<CostEstimate> {
  if (settings.judge.judge === OFFLINE_JUDGE) throw new ConfigError('--dry-run estimates judge calls: give --judge provider:model');
  const spec = parseJudgeSpec(settings.judge.judge);
  const provider = requireProvider(spec.provider);
  // Plan in a scratch store: a dry run must not touch an existing run directory, only read its cache.
  const scratch = mkdtempSync(join(tmpdir(), 'errormap-dry-run-'));
  const store = RunStore.open(scratch);
  const { out } = settings.output;
  const existing = existsSync(runFile(out, 'database')) ? RunStore.open(out, { readonly: true }) : undefined;
  try {
    // The same stages as a run, with no judge in the context: nothing is sent.
    const ctx: StageContext = {
      store,
      prompts: loadPromptSet(settings.judge.promptsDir, ['error_analysis']),
      progress,
      warn: (m) => progress.warn(m),
    };
    const { failures, referencePool, thresholds } = await prepareStage({ ...settings.input, runDir: out }, settings, ctx);
    const planned = planFailures(failures, { pool: referencePool, thresholds }, settings);
    const cache = existing?.callCache();
    const target = { provider: provider.name, model: spec.model, parameters: judgeParameters(settings.judge) };
    const estimate: CostEstimate = {
      judge: settings.judge.judge,
      sampled: failures.length,
      labelled: 0,
      cached: 0,
      toSend: 0,
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
    };
    let lastPrefix: string | undefined;
    let written = false;
    for (const { plan } of planned) {
      if (plan.labelled) {
        estimate.labelled += 1;
        continue;
      }
      const request = analysisRequestOf(plan, ctx.prompts, settings.analysis.textBudget);
      const { key, jsonSchema } = await judgeCallKey(target, request);
      if (cache?.get(key)) {
        estimate.cached += 1;
        continue;
      }
      estimate.toSend += 1;
      // The answer's JSON schema is billed with every prompt, ahead of the system message: OpenAI puts a
      // structured-output schema there, and without structured outputs it ends the system prompt.
      const schemaChars = JSON.stringify(jsonSchema).length;
      estimate.inputTokens += Math.ceil((schemaChars + request.system.length + request.user.length) / CHARS_PER_TOKEN);
      estimate.outputTokens += ASSUMED_OUTPUT_TOKENS;
      // Failures of one example are planned, and sent, one after another: all after the first read the shared prefix.
      const prefix = request.cacheablePrefix ? `${request.system}\n${request.user.slice(0, request.cacheablePrefix)}` : undefined;
      if (prefix !== undefined && prefix === lastPrefix) {
        const tokens = cacheablePrefixTokens(schemaChars + prefix.length);
        estimate.cachedInputTokens += tokens;
        if (!written) estimate.cacheWriteTokens += tokens;
        written = true;
      } else {
        lastPrefix = prefix;
        written = false;
      }
    }
    estimate.price = settings.judge.price ?? lookupPrice(spec.model);
    const usage = {
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
      cachedInputTokens: estimate.cachedInputTokens,
      cacheWriteTokens: estimate.price?.cacheWrite ? estimate.cacheWriteTokens : 0,
    };
    estimate.costUsd = costOf(usage, estimate.price);
    estimate.batchCostUsd = batchCostOf(usage, estimate.price);
    return estimate;
  } finally {
    store.close();
    existing?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
