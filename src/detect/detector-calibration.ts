import { measuredPrecision } from './measured-precision.js';

const measured: Record<string, MeasuredPrecision | undefined> = measuredPrecision;

/** A detector's precision and recall on the held-out label split (labels/), with the Wilson 95% interval of precision. */
export interface MeasuredPrecision {
  /** Labelled firings: true plus false positives. */
  firings: number;
  precision: number | null;
  low: number;
  high: number;
  recall: number | null;
  /** Labelled cases where it should fire. */
  positives: number;
  /** Firings and precision on the real benchmark outputs among them (the rest are constructed cases). */
  realFirings: number;
  realPrecision: number | null;
}

/**
 * A detector may label without a judge, or be hinted by default, only when its precision's lower bound
 * reaches this, and its precision on the real outputs among the held-out labels does not fall below it:
 * constructed cases come from the same generators on both sides of the split, so they alone may flatter.
 */
export const MIN_LOWER_BOUND = 0.85;

/** Detectors that state a fact rather than judge one (no text at all): precise by definition. */
const FACTUAL: Record<string, string> = { empty_output: 'a fact (the output has no text)' };

export interface Calibration {
  /** Measured precision's lower bound ≥ MIN_LOWER_BOUND (or a fact): may label and be hinted by default. */
  verified: boolean;
  /** The measurement in words, shown with every finding. */
  note: string;
}

export function calibrationOf(detector: string): Calibration {
  if (FACTUAL[detector]) return { verified: true, note: FACTUAL[detector] };
  const m = measured[detector];
  if (!m || m.firings === 0 || m.precision === null) return { verified: false, note: 'unverified: no held-out firings measured' };
  // A table written before real outputs were counted separately has no such figure.
  const realPrecision = m.realPrecision ?? null;
  const verified = m.low >= MIN_LOWER_BOUND && (realPrecision === null || realPrecision >= MIN_LOWER_BOUND);
  const real =
    realPrecision === null ? '' : `; ${realPrecision.toFixed(2)} on ${m.realFirings} real output${m.realFirings === 1 ? '' : 's'}`;
  const figure = `held-out precision ${m.precision.toFixed(2)} [${m.low.toFixed(2)}, ${m.high.toFixed(2)}] over ${m.firings} firing${m.firings === 1 ? '' : 's'}${real}`;
  return { verified, note: verified ? figure : `unverified: ${figure}` };
}
