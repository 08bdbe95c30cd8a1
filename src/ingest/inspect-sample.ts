import { InputError } from '../errors.js';
import { normalizeFinishReason } from './finish-reason.js';
import { notAnalysable, withoutScore } from './not-analysable.js';
import type { Prediction } from './prediction.js';
import { decimalNumber } from './score-number.js';

/** What the eval header (EvalLog without samples) tells every sample. */
export interface InspectHeader {
  task: string;
  model: string;
  /** eval.config.epochs, when recorded. */
  epochs?: number;
  /** Scorer names in the order results.scores lists them. */
  scorers: string[];
}

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Reads task, model, epochs and scorer order from an EvalLog header (header.json, _journal/start.json or a .json log). */
export function inspectHeader(log: unknown, file: string, field = 'eval'): InspectHeader {
  const evalSpec = record(record(log)?.eval);
  if (!evalSpec) throw new InputError({ file, field, problem: 'the log has no eval header' });
  if (typeof evalSpec.task !== 'string') throw new InputError({ file, field: `${field}.task`, problem: 'the eval header names no task' });
  if (typeof evalSpec.model !== 'string')
    throw new InputError({ file, field: `${field}.model`, problem: 'the eval header names no model' });
  const epochs = record(evalSpec.config)?.epochs;
  const scores = record(record(log)?.results)?.scores;
  const scorers = Array.isArray(scores)
    ? scores.map((s) => record(s)?.scorer ?? record(s)?.name).filter((n): n is string => typeof n === 'string')
    : [];
  return { task: evalSpec.task, model: evalSpec.model, epochs: typeof epochs === 'number' ? epochs : undefined, scorers };
}

export interface SampleContext {
  header: InspectHeader;
  file: string;
  /** 1-based position of the sample in the log (or its entry order in a .eval archive). */
  record: number;
  /** Where the sample lives, for messages: a JSON path or a zip entry name. */
  where: string;
  severalEpochs: boolean;
  metric?: string;
  dataset?: string;
  /** Told when the sample has the scorer chosen (so a --metric no sample has can be reported as a typo). */
  onScorerFound?: () => void;
}

/** Turns one EvalSample into a Prediction; a sample without a usable score is kept as not analysable. */
export function inspectSampleToPrediction(value: unknown, ctx: SampleContext): Prediction {
  const fail = (field: string, problem: string): never => {
    throw new InputError({ file: ctx.file, line: ctx.record, field: `${ctx.where}.${field}`, problem });
  };
  const sample = record(value) ?? fail('id', 'the sample is not an object');
  if (typeof sample.id !== 'string' && typeof sample.id !== 'number') fail('id', 'the sample has no id');
  const epoch = typeof sample.epoch === 'number' ? sample.epoch : 1;
  const attachments = record(sample.attachments) ?? {};
  const resolve = (text: string) => {
    if (!text.startsWith('attachment://')) return text;
    const content = attachments[text.slice('attachment://'.length)];
    return typeof content === 'string' ? content : text;
  };
  const choices = Array.isArray(sample.choices) ? sample.choices.map((c) => resolve(String(c))) : [];

  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(sample.metadata) ?? {})) {
    if (v !== null && v !== undefined) metadata[key] = typeof v === 'string' ? resolve(v) : JSON.stringify(v);
  }
  metadata.inspect_task = ctx.header.task;
  metadata.epoch = String(epoch);

  const prediction: Prediction = {
    dataset: ctx.dataset ?? ctx.header.task,
    exampleId: ctx.severalEpochs ? `${sample.id}#epoch${epoch}` : String(sample.id),
    model: ctx.header.model,
    inputText: withChoices(inputText(sample.input, resolve), choices),
    outputText: outputText(sample, resolve),
    // Set below from the chosen scorer; an errored, cancelled or unscored sample keeps none.
    score: undefined,
    correctAnswer: targetText(sample.target, choices, resolve),
    metadata,
    source: { file: ctx.file, line: ctx.record },
  };
  const output = record(sample.output);
  const firstChoice = record(Array.isArray(output?.choices) ? output.choices[0] : undefined);
  const finishReason = normalizeFinishReason(output?.stop_reason) ?? normalizeFinishReason(firstChoice?.stop_reason);
  if (finishReason) prediction.finishReason = finishReason;

  const scores = record(sample.scores) ?? (record(sample.score) ? { score: sample.score } : {});
  const { scorer, key } = chooseScore(scores, ctx.metric, ctx.header.scorers, fail);
  const error = record(sample.error);
  if (error) notAnalysable(prediction, `the sample failed: ${String(error.message ?? 'unknown error')}`);
  if (scorer === undefined || !(scorer in scores)) {
    if (error) return prediction;
    const has = Object.keys(scores);
    return notAnalysable(
      prediction,
      ctx.metric
        ? `no score: the sample has no score from scorer "${ctx.metric}" (it has: ${has.join(', ') || 'none'})`
        : `no score: the sample has no scores${unscoredBecause(sample)}`,
    );
  }
  const main = record(scores[scorer as string]) ?? {};
  const raw = key === undefined ? main.value : record(main.value)?.[key];
  if (raw !== undefined) ctx.onScorerFound?.();
  const field = key === undefined ? `scores.${scorer}.value` : `scores.${scorer}.value.${key}`;
  const several = key === undefined ? convertibleKeys(raw) : [];
  if (several.length > 1) {
    fail(field, `the score has several values (${several.join(', ')}); choose one with --metric ${scorer}.${several[0]}`);
  }
  metadata.inspect_scorer = key === undefined ? (scorer as string) : `${scorer}.${key}`;
  const score = scoreValue(raw);
  if (score === undefined) {
    const what = key === undefined ? `the score of scorer "${scorer}"` : `value "${key}" of scorer "${scorer}"`;
    // C, I, P, N, yes/no, true/false, numbers and booleans are what Inspect's value_to_float reads.
    return error ? prediction : withoutScore(prediction, what, raw);
  }
  prediction.score = score;
  if (typeof main.answer === 'string') metadata.score_answer = resolve(main.answer);
  if (typeof main.explanation === 'string' && main.explanation.trim() !== '') prediction.graderNote = resolve(main.explanation);
  for (const [name, other] of Object.entries(scores)) {
    const v = name === scorer ? undefined : scoreValue(record(other)?.value);
    if (v !== undefined) metadata[`score_${name}`] = String(v);
  }
  return prediction;
}

/** Why Inspect left a sample unscored, when the sample says: a limit it hit, or an interruption. */
function unscoredBecause(sample: Json): string {
  const limit = record(sample.limit);
  if (typeof limit?.type === 'string') return ` (it hit its ${limit.type} limit)`;
  return '';
}

/**
 * Which scorer (and, for a dict-valued score, which key) gives the score: --metric names a scorer, a
 * "scorer.key", or a key that only one dict-valued scorer has; by default the first scorer the results list.
 */
function chooseScore(
  scores: Json,
  metric: string | undefined,
  listed: string[],
  fail: (field: string, problem: string) => never,
): { scorer: string | undefined; key?: string } {
  if (metric === undefined) return { scorer: listed.find((s) => s in scores) ?? Object.keys(scores)[0] };
  if (metric in scores) return { scorer: metric };
  const dot = metric.indexOf('.');
  if (dot > 0 && metric.slice(0, dot) in scores) return { scorer: metric.slice(0, dot), key: metric.slice(dot + 1) };
  const holders = Object.keys(scores).filter((name) => {
    const value = record(record(scores[name])?.value);
    return value !== undefined && metric in value;
  });
  if (holders.length > 1)
    fail('scores', `several scorers have a value "${metric}"; name one: ${holders.map((h) => `${h}.${metric}`).join(', ')}`);
  return holders.length === 1 ? { scorer: holders[0], key: metric } : { scorer: metric };
}

/** Keys of a dict-valued score whose values read as numbers. */
function convertibleKeys(value: unknown): string[] {
  const dict = record(value);
  return dict ? Object.keys(dict).filter((k) => scoreValue(dict[k]) !== undefined) : [];
}

/** Inspect's value constants: CORRECT "C", INCORRECT "I", PARTIAL "P", NOANSWER "N". */
const LETTER_SCORES: Record<string, number> = { C: 1, I: 0, P: 0.5, N: 0 };
/** Other strings Inspect's value_to_float accepts, compared in lower case. */
const WORD_SCORES: Record<string, number> = { yes: 1, true: 1, no: 0, false: 0 };

/** A score value as a number, read as Inspect's value_to_float does. A dict or list counts when it holds one convertible value. */
export function scoreValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (value in LETTER_SCORES) return LETTER_SCORES[value];
    const word = WORD_SCORES[value.trim().toLowerCase()];
    if (word !== undefined) return word;
    return decimalNumber(value);
  }
  const items = Array.isArray(value) ? value : Object.values(record(value) ?? {});
  const numbers = items
    .filter((item) => typeof item !== 'object')
    .map(scoreValue)
    .filter((v) => v !== undefined);
  return numbers.length === 1 ? numbers[0] : undefined;
}

/** Text of a message's content: a string, or a list of content parts (text, reasoning, media). */
function contentText(content: unknown, resolve: (s: string) => string): string {
  if (typeof content === 'string') return resolve(content);
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = record(part) ?? {};
      if (p.type === 'text' && typeof p.text === 'string') return resolve(p.text);
      if (p.type === 'reasoning') return '';
      return typeof p.type === 'string' ? `[${p.type}]` : '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

function inputText(input: unknown, resolve: (s: string) => string): string {
  if (typeof input === 'string') return resolve(input);
  if (!Array.isArray(input)) return '';
  return input.map((m) => `${String(record(m)?.role ?? 'user')}: ${contentText(record(m)?.content, resolve)}`).join('\n\n');
}

function withChoices(input: string, choices: string[]): string {
  if (choices.length === 0) return input;
  return `${input}\n\n${choices.map((c, i) => `${letter(i)}) ${c}`).join('\n')}`;
}

function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

/** output.completion, else the first choice's message, else the last assistant message. */
function outputText(sample: Json, resolve: (s: string) => string): string {
  const output = record(sample.output);
  if (typeof output?.completion === 'string' && output.completion !== '') return resolve(output.completion);
  const first = record(Array.isArray(output?.choices) ? output.choices[0] : undefined);
  const fromChoice = contentText(record(first?.message)?.content, resolve);
  if (fromChoice !== '') return fromChoice;
  const messages = Array.isArray(sample.messages) ? sample.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = record(messages[i]);
    if (m?.role === 'assistant') return contentText(m.content, resolve);
  }
  return '';
}

/** The target; a letter target of a multiple-choice sample reads "B) option text". */
function targetText(target: unknown, choices: string[], resolve: (s: string) => string): string | undefined {
  const one = (t: string) => {
    const index = t.length === 1 ? t.charCodeAt(0) - 65 : -1;
    return index >= 0 && index < choices.length ? `${t}) ${choices[index]}` : resolve(t);
  };
  if (typeof target === 'string') return one(target);
  if (Array.isArray(target)) return target.map((t) => one(String(t))).join(' | ');
  return undefined;
}
