import type { Prediction } from '../ingest/prediction.js';

/** A prediction whose score is below its dataset's success threshold, chosen for analysis. */
export interface Failure extends Prediction {
  /** Stable id: a short hash of (dataset, example id, model). */
  id: string;
  threshold: number;
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
}
