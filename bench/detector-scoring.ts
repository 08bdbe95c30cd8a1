// Scores detector output against labels: TP/FP/FN per detector, overall, per answer style and per dataset
// family, for scripts/detector-precision.ts. Hand labels of real failures and constructed cases alike
// become LabelledCases.
import { z } from 'zod';
import type { DetectContext } from '../src/detect/finding.js';
import { detectFailure } from '../src/detect/run-detectors.js';
import { caseKey } from './detector-cases.js';
import { constructedContext, readConstructedCases, readLabelLines } from './detector-constructed.js';

const labelSchema = z.object({
  dataset: z.string(),
  example_id: z.string(),
  model: z.string(),
  expected: z.array(z.string()),
  note: z.string(),
});
export type DetectorLabel = z.infer<typeof labelSchema>;

/** One labelled case, whatever file it came from. */
export interface LabelledCase {
  id: string;
  style: string;
  family: string;
  ctx: DetectContext;
  expected: ReadonlySet<string>;
  ignore: ReadonlySet<string>;
  note: string;
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

export interface Disagreement {
  kind: 'FP' | 'FN';
  detector: string;
  label: LabelledCase;
}

/** The answer style each real data set's outputs have. */
const REAL_STYLES: Record<string, string> = {
  mmlu_pro: 'multiple choice, real outputs',
  theoremqa: 'free numeric, real outputs',
  alpaca_eval: 'long-form chat, real outputs',
  vicuna_bench: 'long-form chat, real outputs',
};

export function readLabels(path: string): DetectorLabel[] {
  return readLabelLines(path, labelSchema);
}

/** Hand labels of real failures (labels/detector-labels*.jsonl) as labelled cases. */
export function realCases(path: string, contexts: ReadonlyMap<string, DetectContext>): LabelledCase[] {
  return readLabels(path).map((label) => {
    const key = caseKey({ dataset: label.dataset, exampleId: label.example_id, model: label.model });
    const ctx = contexts.get(key);
    if (!ctx) throw new Error(`labelled failure not found in the data: ${label.dataset} ${label.example_id} ${label.model}`);
    return {
      id: key,
      style: REAL_STYLES[label.dataset] ?? label.dataset,
      family: label.dataset,
      ctx,
      expected: new Set(label.expected),
      ignore: new Set<string>(),
      note: label.note,
    };
  });
}

/** Constructed cases (labels/constructed-*.jsonl) as labelled cases. */
export function constructedCases(path: string, contexts: ReadonlyMap<string, DetectContext>): LabelledCase[] {
  return readConstructedCases(path).map((c) => ({
    id: c.id,
    style: c.style,
    family: c.family,
    ctx: constructedContext(c, contexts),
    expected: new Set(c.expected),
    ignore: new Set(c.ignore ?? []),
    note: c.note,
  }));
}

export interface Scored {
  /** Per detector, over every case. */
  counts: Map<string, Tally>;
  /** Per grouping value (style or family), per detector. */
  byStyle: Map<string, Map<string, Tally>>;
  byFamily: Map<string, Map<string, Tally>>;
  disagreements: Disagreement[];
  /** Detector firings that were labelled (TP + FP). */
  firings: number;
}

/** Runs the detectors on every case and counts agreements; `unlabelled` detectors are ignored. */
export function scoreCases(cases: readonly LabelledCase[], detectorNames: readonly string[], unlabelled: ReadonlySet<string>): Scored {
  const fresh = () => new Map<string, Tally>(detectorNames.filter((n) => !unlabelled.has(n)).map((n) => [n, { tp: 0, fp: 0, fn: 0 }]));
  const counts = fresh();
  const byStyle = new Map<string, Map<string, Tally>>();
  const byFamily = new Map<string, Map<string, Tally>>();
  const disagreements: Disagreement[] = [];
  let firings = 0;
  for (const label of cases) {
    const fired = new Set(detectFailure(label.ctx).map((f) => f.detector));
    const style = byStyle.get(label.style) ?? fresh();
    byStyle.set(label.style, style);
    const family = byFamily.get(label.family) ?? fresh();
    byFamily.set(label.family, family);
    for (const name of new Set([...fired, ...label.expected])) {
      if (unlabelled.has(name) || label.ignore.has(name)) continue;
      const kind = fired.has(name) && label.expected.has(name) ? 'tp' : fired.has(name) ? 'fp' : 'fn';
      for (const table of [counts, style, family]) {
        const entry = table.get(name) ?? { tp: 0, fp: 0, fn: 0 };
        table.set(name, entry);
        entry[kind]++;
      }
      if (kind !== 'fn') firings++;
      if (kind === 'fp') disagreements.push({ kind: 'FP', detector: name, label });
      if (kind === 'fn') disagreements.push({ kind: 'FN', detector: name, label });
    }
  }
  return { counts, byStyle, byFamily, disagreements, firings };
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
