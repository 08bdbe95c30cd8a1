import type { Prediction } from '../ingest/prediction.js';
import type { Failure } from '../prepare/failure.js';

/** Families group detectors; the offline taxonomy uses them as top-level categories. */
export type DetectorFamily =
  | 'No usable answer' // empty, refusal, cut off, loop, no extractable answer
  | 'Answer format' // wrong format for the requested answer
  | 'Wrong choice' // multiple-choice pick, with both options' texts
  | 'Numeric slip' // near miss, sign, power of ten, rounding
  | 'Incomplete answer' // much shorter than the references
  | 'Possible benchmark noise'; // matches the reference but scored wrong; example most models fail

/** A deterministic observation about one failure, with evidence a person can check. */
export interface Finding {
  detector: string; // e.g. "empty_output"
  family: DetectorFamily;
  /** Short error title in the same style as a judge's error_title. */
  title: string;
  summary: string;
  /** Verbatim quote or figures that support the finding. */
  evidence: string;
  /** Mechanical failures can be filed without a judge call (--precheck label). */
  mechanical: boolean;
  /** 0-1, how sure the detector is; used to pick the primary finding. */
  confidence: number;
  /** The detector's held-out precision reaches the bar for labelling and default hints (detector-calibration.ts). */
  verified: boolean;
  /** The detector's measured precision, in words ("held-out precision 0.97 [0.91, 0.99] over 120 firings"). */
  precision: string;
}

export interface DetectContext {
  failure: Failure;
  /** Correct outputs of other models on the same example. */
  references: Prediction[];
  /** All predictions on this example (every model), to spot examples most models fail. */
  sameExample: Prediction[];
  /** Per-dataset answer-format settings, if the user configured any. */
  answerFormat?: AnswerFormatConfig;
}

export interface AnswerFormatConfig {
  kind: 'auto' | 'choice' | 'boxed' | 'number' | 'regex';
  /** For kind "regex": a pattern whose first group is the answer. */
  pattern?: string;
}

export interface Detector {
  name: string;
  family: DetectorFamily;
  detect(ctx: DetectContext): Finding | null;
}
