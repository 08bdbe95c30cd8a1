// Constructed label cases (labels/constructed-*.jsonl): a rewritten or invented output with the detectors
// that truly apply to it, known from how it was made. Built by bench/detector-label-build.ts.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DetectContext } from '../src/detect/finding.js';
import { caseKey, type ScoredPrediction } from './detector-cases.js';

const predictionShape = z.object({ input: z.string(), output: z.string(), reference: z.string().optional() });

export const constructedCaseSchema = z.object({
  id: z.string(),
  /** Answer style, for per-style figures. */
  style: z.string(),
  /** The benchmark (or invented task family) it comes from, for per-dataset figures. */
  family: z.string(),
  /** The real prediction whose input, reference and other models' outputs the case reuses. */
  source: z.object({ dataset: z.string(), example_id: z.string(), model: z.string() }).optional(),
  /** For invented cases: the prompt, reference and other models' correct outputs. */
  input: z.string().optional(),
  reference: z.string().optional(),
  references: z.array(z.string()).optional(),
  output: z.string(),
  finish_reason: z.string().optional(),
  /** Detectors that should fire. */
  expected: z.array(z.string()),
  /** Detectors whose truth the construction cannot settle; not counted for this case. */
  ignore: z.array(z.string()).optional(),
  note: z.string(),
});
export type ConstructedCase = z.infer<typeof constructedCaseSchema>;
export type InventedPrediction = z.infer<typeof predictionShape>;

/** The lines of a label file, each checked against `schema`; an error names file and line. */
export function readLabelLines<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path} line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function readConstructedCases(path: string): ConstructedCase[] {
  return readLabelLines(path, constructedCaseSchema);
}

/** The detector context of a constructed case: the source's context with the output replaced, or an invented one. */
export function constructedContext(c: ConstructedCase, contexts: ReadonlyMap<string, DetectContext>): DetectContext {
  const finishReason = c.finish_reason;
  if (c.source) {
    const base = contexts.get(caseKey({ dataset: c.source.dataset, exampleId: c.source.example_id, model: c.source.model }));
    if (!base) throw new Error(`constructed case ${c.id}: source not found in the data`);
    const failure = {
      ...base.failure,
      outputText: c.output,
      score: Math.min(base.failure.score, 0),
      ...(finishReason ? { finishReason } : {}),
    };
    const sameExample = base.sameExample.map((p) => (p.model === failure.model ? failure : p));
    return { failure, references: base.references, sameExample };
  }
  const prediction = (model: string, output: string, score: number): ScoredPrediction => ({
    dataset: c.family,
    exampleId: c.id,
    model,
    inputText: c.input ?? '',
    outputText: output,
    score,
    correctAnswer: c.reference,
    metadata: {},
    source: { file: 'labels/constructed', line: 0 },
  });
  const references = (c.references ?? []).map((text, i) => prediction(`reference-model-${i + 1}`, text, 1));
  const failure = { ...prediction('model-under-test', c.output, 0), id: c.id, threshold: 0.5, ...(finishReason ? { finishReason } : {}) };
  return { failure, references, sameExample: [failure, ...references] };
}
