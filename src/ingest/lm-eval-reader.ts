import { InputError } from '../errors.js';
import { readJsonObjectLines } from './json-lines.js';
import { isLmEvalResultsFileName, type LmEvalRunInfo, parseSamplesFileName, readLmEvalRunInfo } from './lm-eval-results.js';
import { withoutScore } from './not-analysable.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';

/**
 * Reads lm-evaluation-harness `--log_samples` output: `samples_<task>_<date>.jsonl`, with the model name
 * from the `results_<date>.json` written beside it. One prediction per sample of the chosen filter.
 * The results file itself is claimed too (so no other reader mistakes it), but holds no per-sample rows:
 * a folder walk skips it beside samples files (see lm-eval-folder.ts), and reading it alone says why.
 */
export const lmEvalReader: InputReader = {
  name: 'lm-eval',
  detect(path, head, isDirectory) {
    if (isDirectory) return false;
    if (parseSamplesFileName(path)) return /"doc_id"\s*:/.test(head.toString('utf8'));
    return isLmEvalResultsFileName(path) && /^\s*\{\s*"results"\s*:\s*\{/.test(head.toString('utf8'));
  },
  read: readLmEval,
};

/** Filters in the order we prefer them when the user names none (--filter). */
export const PREFERRED_FILTERS = ['strict-match', 'flexible-extract', 'none'];
/** Metric keys in the order we prefer them when a sample lists none and the user names none (--metric). */
export const PREFERRED_METRICS = ['exact_match', 'acc', 'acc_norm', 'em', 'f1', 'pass@1', 'pass_at_1', 'mcc', 'bleu', 'rouge1'];

const SAMPLE_KEYS = new Set([
  'doc_id',
  'doc',
  'target',
  'arguments',
  'resps',
  'filtered_resps',
  'filter',
  'metrics',
  'doc_hash',
  'prompt_hash',
  'target_hash',
]);
const LOGLIKELIHOOD_TYPES = new Set(['loglikelihood', 'multiple_choice', 'loglikelihood_rolling']);

async function* readLmEval(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const name = parseSamplesFileName(file);
  if (!name && isLmEvalResultsFileName(file)) {
    throw new InputError({
      file,
      problem:
        "this is lm-eval's aggregate results file, with no per-sample rows: read the samples_<task>_<date>.jsonl files beside it (or their folder); run lm-eval with --log_samples if there are none",
    });
  }
  if (!name) throw new InputError({ file, problem: 'not an lm-eval samples file (expected samples_<task>_<date>.jsonl)' });
  const info = await readLmEvalRunInfo(file, name, options.onWarning);
  let filter = chooseFilter(info, options.filter, file);
  let metric = options.metric;
  const seenFilters = new Set<string>();

  let metricSeen = false;
  let firstSample: Record<string, unknown> | undefined;
  for await (const { line, value } of readJsonObjectLines(file, options.onWarning)) {
    const sample = checkedSample(value, file, line);
    const sampleFilter = typeof sample.filter === 'string' ? sample.filter : undefined;
    if (sampleFilter !== undefined) {
      seenFilters.add(sampleFilter);
      // The results file did not list filters: take the first one the samples use.
      filter ??= sampleFilter;
      if (sampleFilter !== filter) continue;
    }
    firstSample ??= sample;
    metric ??= chooseMetric(sample, file, line);
    metricSeen ||= isMetricValue(sample[metric]);
    yield toPrediction(sample, { file, line, task: name.task, info, filter: sampleFilter, metric, dataset: options.dataset });
  }
  // A sample without the metric is kept as not analysable; a named metric that no sample has is a typo.
  if (options.metric && firstSample && !metricSeen) {
    throw new InputError({
      file,
      field: options.metric,
      problem: `metric "${options.metric}" is in no sample of this file (the first sample has: ${metricCandidates(firstSample).join(', ') || 'none'})`,
    });
  }
  if (options.filter && seenFilters.size > 0 && !seenFilters.has(options.filter)) {
    throw new InputError({
      file,
      field: 'filter',
      problem: `filter "${options.filter}" is not in this file (found: ${[...seenFilters].join(', ')})`,
    });
  }
}

function chooseFilter(info: LmEvalRunInfo, wanted: string | undefined, file: string): string | undefined {
  if (wanted) {
    if (info.filters.length > 0 && !info.filters.includes(wanted)) {
      throw new InputError({
        file: info.resultsFile,
        field: 'filter',
        problem: `filter "${wanted}" is not in this run of ${file} (available: ${info.filters.join(', ')})`,
      });
    }
    return wanted;
  }
  return PREFERRED_FILTERS.find((f) => info.filters.includes(f)) ?? info.filters[0];
}

/** The metric of the whole file, from its first sample: one the sample lists, else a usual one, else any (NaN counts: it names the metric). */
function chooseMetric(sample: Record<string, unknown>, file: string, line: number): string {
  const found = metricCandidates(sample)[0];
  if (!found)
    throw new InputError({ file, line, field: 'metrics', problem: 'the sample has no numeric metric value; choose one with --metric' });
  return found;
}

function metricCandidates(sample: Record<string, unknown>): string[] {
  const listed = Array.isArray(sample.metrics) ? sample.metrics.filter((m): m is string => typeof m === 'string') : [];
  const candidates = [...listed, ...PREFERRED_METRICS, ...Object.keys(sample).filter((k) => !SAMPLE_KEYS.has(k))];
  return [...new Set(candidates)].filter((m) => isMetricValue(sample[m]));
}

/** A metric's value as lm-eval writes it: a number (NaN and infinities included) or a boolean. */
function isMetricValue(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function checkedSample(sample: Record<string, unknown>, file: string, line: number): Record<string, unknown> {
  if (sample.doc_id === undefined) throw new InputError({ file, line, field: 'doc_id', problem: 'missing doc_id' });
  return sample;
}

interface SampleContext {
  file: string;
  line: number;
  task: string;
  info: LmEvalRunInfo;
  filter?: string;
  metric: string;
  dataset?: string;
}

function toPrediction(sample: Record<string, unknown>, ctx: SampleContext): Prediction {
  const score = scoreOf(sample[ctx.metric]);
  const args = requestArguments(sample.arguments);
  const loglikelihood =
    (ctx.info.outputType !== undefined && LOGLIKELIHOOD_TYPES.has(ctx.info.outputType)) || isLoglikelihoodResps(sample.resps);
  const choices = choiceTexts(sample.doc, args, loglikelihood);
  // A multiple-choice target is an index (or list of indices) into the choices; a generation target is text.
  const multipleChoice = loglikelihood || ctx.info.outputType === 'multiple_choice';
  const metadata: Record<string, string> = { lm_eval_task: ctx.task, lm_eval_metric: ctx.metric };
  if (ctx.filter !== undefined) metadata.lm_eval_filter = ctx.filter;

  const prediction: Prediction = {
    dataset: ctx.dataset ?? ctx.task,
    exampleId: String(sample.doc_id),
    model: ctx.info.model,
    inputText: args[0]?.[0] ?? '',
    outputText: '',
    score,
    correctAnswer: targetText(sample.target, choices, multipleChoice),
    metadata,
    source: { file: ctx.file, line: ctx.line },
  };
  if (loglikelihood) {
    // acc_norm ranks choices by log-likelihood per character of the choice, acc by the raw log-likelihood.
    const perCharacter = ctx.metric === 'acc_norm' && choices !== undefined;
    const picked = argmaxChoice(sample.filtered_resps ?? sample.resps, perCharacter ? choices : undefined);
    if (picked !== undefined) {
      metadata.lm_eval_chosen = choices?.[picked] ?? String(picked);
      metadata.lm_eval_chosen_by = perCharacter ? 'log-likelihood per character' : 'log-likelihood';
    }
    prediction.analysable = false;
    prediction.unanalysableReason = 'log-likelihood multiple choice: the model generated no text to analyse';
  } else {
    prediction.outputText = firstText(sample.resps) ?? '';
    const extracted = firstText(sample.filtered_resps);
    if (extracted !== undefined) metadata.extracted_answer = extracted;
  }
  return score === undefined ? withoutScore(prediction, `metric "${ctx.metric}"`, sample[ctx.metric]) : prediction;
}

/** Arguments as [prompt, second argument] pairs, from either the newer {gen_args_0: {arg_0, arg_1}} or the older [[...]] form. */
function requestArguments(value: unknown): [string, unknown][] {
  const asPair = (a: unknown, b: unknown): [string, unknown] => [typeof a === 'string' ? a : JSON.stringify(a ?? ''), b];
  if (Array.isArray(value)) return value.map((v) => (Array.isArray(v) ? asPair(v[0], v[1]) : asPair(v, undefined)));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
      .map(([, v]) => {
        const r = (v ?? {}) as Record<string, unknown>;
        return asPair(r.arg_0, r.arg_1);
      });
  }
  return [];
}

/** Choice texts: the continuations scored for a log-likelihood task, else doc.choices. */
function choiceTexts(doc: unknown, args: [string, unknown][], loglikelihood: boolean): string[] | undefined {
  if (loglikelihood && args.length > 1 && args.every(([, c]) => typeof c === 'string')) return args.map(([, c]) => (c as string).trim());
  const choices = (doc as Record<string, unknown> | undefined)?.choices;
  if (Array.isArray(choices) && choices.every((c) => typeof c === 'string')) return choices;
  const text = (choices as Record<string, unknown> | undefined)?.text;
  if (Array.isArray(text) && text.every((c) => typeof c === 'string')) return text;
  return undefined;
}

/**
 * The reference answer as text. lm-eval's save_results_samples writes str(target), so an index reads "2"
 * and a list of indices "[0, 2]"; older or hand-made files keep the numbers.
 */
function targetText(target: unknown, choices: string[] | undefined, multipleChoice: boolean): string | undefined {
  if (target === undefined || target === null) return undefined;
  const choice = (i: number) => (Number.isInteger(i) ? choices?.[i] : undefined);
  if (typeof target === 'number') return choice(target) ?? String(target);
  if (Array.isArray(target)) return target.map((t) => targetText(t, choices, multipleChoice)).join(' | ');
  if (typeof target !== 'string') return JSON.stringify(target);
  if (multipleChoice && choices) {
    if (/^\d+$/.test(target.trim())) return choice(Number(target)) ?? target;
    const list = /^\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]$/.exec(target.trim());
    if (list) {
      const texts = list[1].split(',').map((n) => choice(Number(n)));
      if (texts.every((t) => t !== undefined)) return texts.join(' | ');
    }
  }
  return target;
}

/** resps of a log-likelihood request hold [logprob, is_greedy] pairs rather than text. */
function isLoglikelihoodResps(resps: unknown): boolean {
  const first = Array.isArray(resps) ? resps[0] : undefined;
  const inner = Array.isArray(first) ? first[0] : undefined;
  return Array.isArray(inner) || (Array.isArray(first) && first.length === 2 && typeof first[1] === 'boolean');
}

/**
 * Index of the highest-scoring choice. Values may be numbers or, as save_results_samples writes them, strings
 * ("-12.1"). With choice texts given, each log-likelihood is divided by its choice's length (lm-eval's acc_norm).
 */
function argmaxChoice(resps: unknown, normaliseBy?: string[]): number | undefined {
  if (!Array.isArray(resps)) return undefined;
  let best: number | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  resps.forEach((r, i) => {
    let pair = r;
    while (Array.isArray(pair) && Array.isArray(pair[0])) pair = pair[0];
    const raw = Array.isArray(pair) ? pair[0] : pair;
    const logprob = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN;
    const length = normaliseBy ? (normaliseBy[i]?.length ?? 0) : 1;
    const value = length > 0 ? logprob / length : Number.NaN;
    if (Number.isFinite(value) && value > bestValue) {
      bestValue = value;
      best = i;
    }
  });
  return best;
}

/** The first string in a nested response list (resps is [[text]], filtered_resps is [text]). */
function firstText(value: unknown): string | undefined {
  let v = value;
  while (Array.isArray(v)) v = v[0];
  return typeof v === 'string' ? v : undefined;
}

function scoreOf(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}
