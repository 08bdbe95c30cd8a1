// Scores detector output against hand labels: TP/FP/FN per detector, for scripts/detector-precision.ts.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DetectContext } from '../src/detect/finding.js';
import { detectFailure } from '../src/detect/run-detectors.js';
import { caseKey } from './detector-cases.js';

const labelSchema = z.object({
  dataset: z.string(),
  example_id: z.string(),
  model: z.string(),
  expected: z.array(z.string()),
  note: z.string(),
});
export type DetectorLabel = z.infer<typeof labelSchema>;

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

/** One disagreement between a detector and the labeller. */
export interface Disagreement {
  kind: 'FP' | 'FN';
  detector: string;
  label: DetectorLabel;
}

export function readLabels(path: string): DetectorLabel[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = labelSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path} line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Runs the detectors on every labelled failure and counts agreements; `unlabelled` detectors are ignored. */
export function scoreLabels(
  labels: DetectorLabel[],
  cases: ReadonlyMap<string, DetectContext>,
  detectorNames: readonly string[],
  unlabelled: ReadonlySet<string>,
): { counts: Map<string, Tally>; disagreements: Disagreement[] } {
  const counts = new Map<string, Tally>(detectorNames.filter((n) => !unlabelled.has(n)).map((n) => [n, { tp: 0, fp: 0, fn: 0 }]));
  const disagreements: Disagreement[] = [];
  for (const label of labels) {
    const ctx = cases.get(caseKey({ dataset: label.dataset, exampleId: label.example_id, model: label.model }));
    if (!ctx) throw new Error(`labelled failure not found in the data: ${label.dataset} ${label.example_id} ${label.model}`);
    const fired = new Set(
      detectFailure(ctx)
        .map((f) => f.detector)
        .filter((n) => !unlabelled.has(n)),
    );
    const expected = new Set(label.expected);
    for (const name of new Set([...fired, ...expected])) {
      const entry = counts.get(name) ?? { tp: 0, fp: 0, fn: 0 };
      counts.set(name, entry);
      if (fired.has(name) && expected.has(name)) entry.tp++;
      else if (fired.has(name)) {
        entry.fp++;
        disagreements.push({ kind: 'FP', detector: name, label });
      } else {
        entry.fn++;
        disagreements.push({ kind: 'FN', detector: name, label });
      }
    }
  }
  return { counts, disagreements };
}

/** Micro-average over the named detectors. */
export function sumTallies(counts: ReadonlyMap<string, Tally>, names: Iterable<string>): Tally {
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const name of names) {
    const c = counts.get(name);
    if (!c) continue;
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return total;
}
