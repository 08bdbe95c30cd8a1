import type { Prediction } from '../ingest/prediction.js';

/** A prediction whose score is below its dataset's success threshold, chosen for analysis. */
export interface Failure extends Prediction {
  /** Stable id: a short hash of (dataset, example id, model). */
  id: string;
  /** A failure always has a score: it lies below the threshold (an unscored prediction is never a failure). */
  score: number;
  threshold: number;
}

/** The failure a prediction below its dataset's threshold is; an unscored prediction is never one (a bug if asked). */
export function asFailure(p: Prediction, id: string, threshold: number): Failure {
  if (p.score === undefined) throw new Error(`bug: ${p.model} on ${p.dataset}/${p.exampleId} has no score, so it is no failure`);
  return { ...p, score: p.score, id, threshold };
}

/** A sampled failure without its texts: what a run keeps in memory, the texts are read when due. */
export type FailureRef = Pick<Failure, 'id' | 'dataset' | 'exampleId' | 'model' | 'threshold'>;

/** Correct outputs per example, from every model, used as references for the judge. */
export interface ReferencePool {
  /** Correct predictions of the example, all models, in a deterministic order. */
  correctFor(dataset: string, exampleId: string): Prediction[];
  /** Every prediction of the example (all models, correct or not), sorted by model: detectors use it to spot examples most models fail. */
  allFor(dataset: string, exampleId: string): Prediction[];
}

/** Per-dataset and per-model counts needed for incidence (failures per 100 predictions). */
export interface PopulationStats {
  dataset: string;
  model: string;
  /** Predictions with a score: the denominator of failure rates and incidence (unscored ones are counted apart). */
  predictions: number;
  /** Predictions below the threshold, unanalysable ones included. */
  failures: number;
  sampled: number;
  threshold: number;
  /**
   * Failures that cannot be analysed (infrastructure errors, log-likelihood tasks): part of `failures`, never
   * sampled, and left out of failure rates and sampling weights.
   */
  unanalysable: number;
  /**
   * Predictions with no usable score (NaN, missing, an errored or cancelled sample): nobody knows whether they
   * failed, so they are in neither `predictions` nor `failures`. 0 in runs made before they were counted apart.
   */
  unscored: number;
}
