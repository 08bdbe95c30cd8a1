/**
 * One example with every model's output on it, for the side-by-side failure view: which outputs failed,
 * which were sampled and filed where, which correct outputs the judge was given, and where each final
 * answer is. Pure over the example's predictions; the server reads them per request, the report once.
 */
import { detectAnswerFormat, extractAnswer } from '../detect/answer-extraction.js';
import type { AnswerFormatConfig } from '../detect/finding.js';
import type { Prediction } from '../ingest/prediction.js';
import { asFailure } from '../prepare/failure.js';
import { isReference, pickReferences } from '../prepare/reference-pool.js';
import type { ExampleOutput, ExampleView, FailureStatus } from './view-data.js';

/** A sampled failure on the example, with where its analysis came from. */
export interface ExampleFailure {
  id: string;
  model: string;
  status: FailureStatus;
  title: string;
  leaf: string;
  threshold: number;
  /** The analysis's source ('judge', 'detector', 'precheck'); undefined when not analysed. */
  source?: string;
}

/** The run settings that decide which correct outputs the judge was shown and how answers are read. */
export interface ReferenceSettings {
  maxReferences: number;
  seed: number;
  answerFormats: Record<string, AnswerFormatConfig>;
}

/** The run record's (flat, public) settings as ReferenceSettings; the run's defaults where a value is missing. */
export function referenceSettings(settings: Record<string, unknown>): ReferenceSettings {
  const whole = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback);
  const formats = settings.answerFormats;
  return {
    maxReferences: whole(settings.maxReferences, 3),
    seed: whole(settings.seed, 42),
    answerFormats: formats && typeof formats === 'object' ? (formats as Record<string, AnswerFormatConfig>) : {},
  };
}

/** Where the final answer read from an output is ([start, end) of the passage it came from), when one is read. */
export function finalAnswerSpan(
  output: string,
  input: string,
  reference: string | undefined,
  config?: AnswerFormatConfig,
): [number, number] | undefined {
  const found = extractAnswer(output, detectAnswerFormat(input, reference, config));
  if (!found || found.quote === '') return undefined;
  const at = output.lastIndexOf(found.quote);
  return at >= 0 ? [at, at + found.quote.length] : undefined;
}

/**
 * The models whose correct outputs the judge was given with this example's failures: the same seeded
 * choice the analysis made (pickReferences, per example), when at least one failure went to the judge.
 */
function judgeReferences(
  predictions: readonly Prediction[],
  failures: readonly ExampleFailure[],
  settings: ReferenceSettings,
): Set<string> {
  const judged = failures.find((f) => f.source === 'judge');
  const failed = judged && predictions.find((p) => p.model === judged.model);
  if (!judged || !failed) return new Set();
  const correct = predictions.filter((p) => isReference(p, { [p.dataset]: judged.threshold }));
  const chosen = pickReferences(correct, asFailure(failed, judged.id, judged.threshold), settings.maxReferences, settings.seed);
  return new Set(chosen.map((p) => p.model));
}

/** The side-by-side view of an example from its predictions (every model's) and its sampled failures. */
export function buildExampleView(
  predictions: readonly Prediction[],
  failures: readonly ExampleFailure[],
  settings: ReferenceSettings,
): ExampleView | undefined {
  const first = predictions[0];
  if (!first) return undefined;
  const threshold = failures[0]?.threshold ?? Number.NEGATIVE_INFINITY;
  const byModel = new Map(failures.map((f) => [f.model, f]));
  const shown = judgeReferences(predictions, failures, settings);
  const config = settings.answerFormats[first.dataset];
  const outputs: ExampleOutput[] = predictions.map((p) => {
    const f = byModel.get(p.model);
    const answer = finalAnswerSpan(p.outputText, p.inputText, p.correctAnswer, config);
    return {
      model: p.model,
      ...(p.score !== undefined ? { score: p.score } : {}),
      failed: p.score !== undefined && p.score < threshold,
      outputText: p.outputText,
      ...(answer ? { answer } : {}),
      shownToJudge: shown.has(p.model),
      ...(f ? { failure: { id: f.id, status: f.status, title: f.title, leaf: f.leaf } } : {}),
    };
  });
  outputs.sort((a, b) => Number(b.failed) - Number(a.failed) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  return {
    dataset: first.dataset,
    exampleId: first.exampleId,
    inputText: first.inputText,
    ...(first.correctAnswer !== undefined ? { correctAnswer: first.correctAnswer } : {}),
    threshold,
    outputs,
  };
}
