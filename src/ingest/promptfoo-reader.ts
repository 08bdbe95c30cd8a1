import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { normalizeFinishReason } from './finish-reason.js';
import { pickJsonValues, streamJsonArray } from './json-stream.js';
import { withoutScore } from './not-analysable.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { datasetFromFileName } from './row-to-prediction.js';

/**
 * Reads promptfoo `--output results.json`: results.results[] (summary versions 2 and 3; a top-level
 * results array in older files). One prediction per (test, prompt, provider). Provider failures
 * (failureReason ERROR, response.error) are kept but not analysable: they are not model errors.
 */
export const promptfooReader: InputReader = {
  name: 'promptfoo',
  detect(path, head, isDirectory) {
    if (isDirectory || extname(path).toLowerCase() !== '.json') return false;
    const text = head.toString('utf8');
    if (/^\s*\{\s*"evalId"\s*:/.test(text)) return true;
    // A summary opens with its version; lm-eval's results_<date>.json also opens with "results", so a bare
    // "version" elsewhere (lm-eval task metadata) is not enough.
    if (/^\s*\{\s*"results"\s*:\s*\{\s*"version"\s*:\s*[23]\b/.test(text)) return true;
    return /^\s*\{\s*"results"\s*:\s*\[/.test(text) && /"(promptIdx|testIdx|gradingResult)"\s*:/.test(text);
  },
  read: readPromptfoo,
};

/** promptfoo's ResultFailureReason: NONE 0, ASSERT 1, ERROR 2. */
const FAILURE_ERROR = 2;

type Json = Record<string, unknown>;
function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

async function* readPromptfoo(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const top = await pickJsonValues(file, ['config.description', 'description', 'results.prompts', 'results.table.head.prompts']);
  const description = [top.get('config.description'), top.get('description')].find((d) => typeof d === 'string' && d.trim() !== '');
  const dataset = options.dataset ?? (description as string | undefined)?.trim() ?? datasetFromFileName(file);
  const prompts = [top.get('results.prompts'), top.get('results.table.head.prompts')].find((p) => Array.isArray(p) && p.length > 0);
  const severalPrompts = Array.isArray(prompts) ? prompts.length > 1 : undefined;

  let count = 0;
  let metricFound = false;
  const onMetricFound = () => {
    metricFound = true;
  };
  // Version 2 and 3 summaries nest the list in results.results; the oldest files have a results array.
  const path = (await topLevelResultsIsArray(file)) ? 'results' : 'results.results';
  for await (const { index, value } of streamJsonArray(file, path)) {
    count += 1;
    const where = `${path}[${index}]`;
    yield toPrediction(value, { file, record: index + 1, where, dataset, severalPrompts, metric: options.metric, onMetricFound });
  }
  // A result without the named score is kept as not analysable; a name no result has is a typo.
  if (count > 0 && options.metric !== undefined && !metricFound) {
    throw new InputError({ file, field: 'namedScores', problem: `no result has the score "${options.metric}" (check --metric)` });
  }
  if (count > 0) return;
  throw new InputError({
    file,
    field: 'results.results',
    problem: 'no results found (expected the file written by promptfoo eval --output results.json)',
  });
}

async function topLevelResultsIsArray(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return /^\s*\{(?:\s*"[^"]*"\s*:\s*"[^"]*"\s*,)*\s*"results"\s*:\s*\[/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

interface ResultContext {
  file: string;
  record: number;
  where: string;
  dataset: string;
  /** undefined when the file does not list its prompts: then every id names its prompt. */
  severalPrompts?: boolean;
  metric?: string;
  /** Told when a result has the score --metric names (so a name no result has can be reported as a typo). */
  onMetricFound?: () => void;
}

function toPrediction(value: unknown, ctx: ResultContext): Prediction {
  const fail = (field: string, problem: string): never => {
    throw new InputError({ file: ctx.file, line: ctx.record, field: `${ctx.where}.${field}`, problem });
  };
  const result = record(value) ?? fail('', 'the result is not an object');
  const provider = typeof result.provider === 'string' ? { id: result.provider } : (record(result.provider) ?? {});
  const model = [provider.label, provider.id].find((m) => typeof m === 'string' && m.trim() !== '') as string | undefined;
  if (!model) fail('provider', 'the result names no provider (label or id)');
  const prompt = record(result.prompt) ?? {};
  const response = record(result.response);
  const grading = record(result.gradingResult);
  const testCase = record(result.testCase) ?? {};
  const vars = record(result.vars) ?? record(testCase.vars) ?? {};
  const promptIdx = typeof result.promptIdx === 'number' ? result.promptIdx : 0;

  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(vars)) metadata[`var_${key}`] = typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof prompt.label === 'string') metadata.prompt_label = prompt.label;
  if (typeof testCase.description === 'string') metadata.test_description = testCase.description;
  if (typeof provider.id === 'string' && provider.id !== model) metadata.provider_id = provider.id;
  metadata.prompt_idx = String(promptIdx);

  const baseId = typeof result.testIdx === 'number' ? `test${result.testIdx}` : `vars-${hashOf(vars)}`;
  const severalPrompts = ctx.severalPrompts ?? true;
  const infraError = infrastructureError(result, response, grading);
  const prediction: Prediction = {
    dataset: ctx.dataset,
    exampleId: severalPrompts ? `${baseId}#prompt${promptIdx}` : baseId,
    model: model as string,
    inputText: typeof prompt.raw === 'string' ? prompt.raw : '',
    outputText: outputText(response?.output),
    score: undefined,
    correctAnswer: expectedAnswer(testCase),
    metadata,
    source: { file: ctx.file, line: ctx.record },
  };
  if (typeof grading?.reason === 'string' && grading.reason.trim() !== '') prediction.graderNote = grading.reason;
  const finishReason = normalizeFinishReason(response?.finishReason);
  if (finishReason) prediction.finishReason = finishReason;

  const score = scoreOf(result, grading, ctx.metric);
  const averaged = promptfooScore(result, grading);
  if (averaged !== undefined) metadata.promptfoo_score = String(averaged);
  if (infraError !== undefined) {
    // A provider error scored by the grader is a real failure; one never graded has no score.
    prediction.score = score;
    prediction.analysable = false;
    prediction.unanalysableReason = `provider error: ${infraError}`;
    return prediction;
  }
  if (score === undefined) {
    const named = ctx.metric !== undefined && !['score', 'success', 'pass'].includes(ctx.metric);
    const what = named ? `named score "${ctx.metric}"` : ctx.metric === 'score' ? 'the score' : 'success, pass or score';
    return withoutScore(prediction, what, named ? namedScore(result, grading, ctx.metric as string) : undefined);
  }
  if (ctx.metric !== undefined) ctx.onMetricFound?.();
  prediction.score = score;
  return prediction;
}

function namedScore(result: Json, grading: Json | undefined, name: string): unknown {
  return record(result.namedScores)?.[name] ?? record(grading?.namedScores)?.[name];
}

/** The reason a result failed for infrastructure reasons (not an assertion), or undefined. */
function infrastructureError(result: Json, response: Json | undefined, grading: Json | undefined): string | undefined {
  if (result.failureReason === FAILURE_ERROR) return String(result.error ?? response?.error ?? 'unknown error');
  if (typeof response?.error === 'string' && response.error !== '') return response.error;
  // Older files have no failureReason: an error with no grading means the call itself failed.
  if (result.failureReason === undefined && typeof result.error === 'string' && result.error !== '' && !grading) return result.error;
  return undefined;
}

/**
 * Default: pass/fail (success, else gradingResult.pass), because with several assertions promptfoo's score is
 * their weighted average while a single failed assertion fails the test. --metric score takes that average;
 * any other --metric names a named score.
 */
function scoreOf(result: Json, grading: Json | undefined, metric: string | undefined): number | undefined {
  const pass = typeof result.success === 'boolean' ? result.success : typeof grading?.pass === 'boolean' ? grading.pass : undefined;
  const score = promptfooScore(result, grading);
  if (metric === 'score') return score;
  if (metric && metric !== 'success' && metric !== 'pass') {
    const named = namedScore(result, grading, metric);
    return typeof named === 'number' && Number.isFinite(named) ? named : undefined;
  }
  if (pass !== undefined) return pass ? 1 : 0;
  return metric ? undefined : score;
}

function promptfooScore(result: Json, grading: Json | undefined): number | undefined {
  if (typeof result.score === 'number' && Number.isFinite(result.score)) return result.score;
  if (typeof grading?.score === 'number' && Number.isFinite(grading.score)) return grading.score;
  return undefined;
}

function outputText(output: unknown): string {
  if (output === undefined || output === null) return '';
  return typeof output === 'string' ? output : JSON.stringify(output);
}

/** The value of the first equality-style assertion, as the reference answer. */
function expectedAnswer(testCase: Json): string | undefined {
  const asserts = Array.isArray(testCase.assert) ? testCase.assert : [];
  for (const a of asserts) {
    const assertion = record(a);
    if (
      assertion &&
      ['equals', 'contains', 'icontains', 'starts-with'].includes(String(assertion.type)) &&
      typeof assertion.value === 'string'
    ) {
      return assertion.value;
    }
  }
  return undefined;
}

function hashOf(vars: Json): string {
  const canonical = JSON.stringify(
    Object.keys(vars)
      .sort()
      .map((k) => [k, vars[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}
