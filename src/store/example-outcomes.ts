import { hasColumn, RunStore } from './run-store.js';

/**
 * Whether one model failed one example: every scored prediction of the run, not just the sampled failures.
 * A prediction with no score has no outcome (neither failed nor correct), so it is left out.
 */
export interface ExampleOutcome {
  dataset: string;
  exampleId: string;
  model: string;
  failed: boolean;
  /** The example's reference answer, when the benchmark has one. */
  reference?: string;
}

/**
 * Reads the outcome of every scored prediction from a run's database (read-only). Comparisons need it to
 * pair models on shared examples, and noise detection to find examples most models fail.
 */
export function loadExampleOutcomes(dir: string): ExampleOutcome[] {
  const store = RunStore.open(dir, { readonly: true });
  try {
    // A prediction failed when it scored below its dataset's threshold, the rule prepare applied; one
    // with no score neither failed nor succeeded (a database written before predictions.scored has none).
    const scored = hasColumn(store.db, 'predictions', 'scored') ? 'WHERE p.scored = 1' : '';
    const rows = store.db
      .prepare(
        `SELECT p.dataset, p.example_id, p.model, COALESCE(p.score < t.threshold, 0) AS failed, p.correct_answer
         FROM predictions p LEFT JOIN (SELECT dataset, MIN(threshold) AS threshold FROM population GROUP BY dataset) t ON t.dataset = p.dataset
         ${scored} ORDER BY p.dataset, p.example_id, p.model`,
      )
      .all() as { dataset: string; example_id: string; model: string; failed: number; correct_answer: string | null }[];
    return rows.map((r) => ({
      dataset: r.dataset,
      exampleId: r.example_id,
      model: r.model,
      failed: r.failed === 1,
      ...(r.correct_answer !== null ? { reference: r.correct_answer } : {}),
    }));
  } finally {
    store.close();
  }
}
