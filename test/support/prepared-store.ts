import type { Prediction } from '../../src/ingest/prediction.js';
import { prepare } from '../../src/prepare/prepare.js';
import { RunStore } from '../../src/store/run-store.js';

/** A prediction with placeholder texts and source, for run-database tests. */
export function storedPrediction(dataset: string, exampleId: string, model: string, score: number): Prediction {
  return {
    dataset,
    exampleId,
    model,
    inputText: `question ${exampleId}`,
    outputText: `answer of ${model}`,
    score,
    correctAnswer: 'ref',
    metadata: {},
    source: { file: 'results.csv', line: 2 },
  };
}

/** A run database in `dir` holding `predictions`; prepared as a run prepares them (every failure sampled) unless told not to. */
export async function storeWith(dir: string, predictions: Prediction[], options: { prepared?: boolean } = {}): Promise<RunStore> {
  const store = RunStore.open(dir);
  async function* rows() {
    yield* predictions;
  }
  await store.insertPredictionStream(rows());
  if (options.prepared !== false) {
    const run = prepare(predictions, { ratio: 1, seed: 42 });
    store.savePreparation(run.failures, run.population);
  }
  return store;
}
