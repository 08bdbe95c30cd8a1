/** One model's answer to one benchmark example, as read from any input format. */
export interface Prediction {
  dataset: string;
  exampleId: string;
  model: string;
  inputText: string;
  outputText: string;
  /**
   * Per-instance score; higher is better. Scale is per dataset (0-1, 1-10, ...). Undefined when the file gives
   * no usable score (NaN, missing, null, an errored or cancelled sample): then `analysable` is false and
   * `unanalysableReason` says why. Nobody knows whether such a prediction failed, so it is neither a failure nor
   * a correct answer, and it is left out of thresholds and rates (see isScored).
   */
  score: number | undefined;
  /** Reference answer, when the benchmark has one. */
  correctAnswer?: string;
  /** Every other input column, kept as text (for example a subject column). */
  metadata: Record<string, string>;
  /** Where the row came from, for error messages and provenance. Line is 1-based (data rows of a CSV count from line 2). */
  source: { file: string; line: number };
  /** False when there is no generated text to judge (for example log-likelihood multiple choice, or an infrastructure error). Default true. */
  analysable?: boolean;
  /** Why the prediction is not analysable, shown to the user. */
  unanalysableReason?: string;
  /** Extra evidence from the framework (for example a grader's reason), shown to the judge and the viewer. */
  graderNote?: string;
  /**
   * Why generation stopped, as the framework logged it, normalised: "length" (a token limit: HELM
   * "length", Inspect "max_tokens", OpenAI "length"), "stop" (the model ended), or another logged reason.
   */
  finishReason?: string;
}

/** What sampling and population counts need of a prediction: no texts, so millions fit in memory. */
export type PredictionOutcome = Pick<Prediction, 'dataset' | 'exampleId' | 'model' | 'score' | 'analysable' | 'unanalysableReason'>;

/** True when the prediction has a score, so it either fails or succeeds; an unscored one does neither. */
export function isScored<P extends Pick<Prediction, 'score'>>(p: P): p is P & { score: number } {
  return p.score !== undefined;
}

/** The key that must be unique across all inputs. */
export function predictionKey(p: Pick<Prediction, 'dataset' | 'exampleId' | 'model'>): string {
  return `${p.dataset}\u0000${p.exampleId}\u0000${p.model}`;
}

/** A reader for one input format. Registered in src/ingest/registry.ts. */
export interface InputReader {
  /** Short name used by --format and in messages, e.g. "csv", "helm". */
  name: string;
  /** True when this reader handles the path. `head` holds the first bytes of a file (empty for folders). */
  detect(path: string, head: Buffer, isDirectory: boolean): boolean;
  /** Streams predictions. Throws InputError naming file, line and field on bad data. */
  read(path: string, options: ReaderOptions): AsyncIterable<Prediction>;
}

export interface ReaderOptions {
  /** Metric to use as score when a format has several (HELM, lm-eval, Inspect scorer). */
  metric?: string;
  /** Filter to use when lm-eval logged several. */
  filter?: string;
  /** Override the dataset name. */
  dataset?: string;
  /** Told about a choice the reader made that the user should know of (readers never print). */
  onWarning?: (message: string) => void;
}
