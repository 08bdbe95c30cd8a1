import type { Criterion } from '../contracts/analysis.js';
import type { Finding } from '../detect/finding.js';
import type { ExampleOutcome } from '../store/example-outcomes.js';
import type { RunData } from '../store/run-data.js';
import { stratumKey } from './weighted-shares.js';

export interface NoiseOptions {
  /** Fewest models evaluated on an example before "most models fail it" means anything (default 3). */
  minModels?: number;
  /** Share of those models that must fail it (default 0.8). */
  minFailShare?: number;
}

export interface SampledFailureEvidence {
  failureId: string;
  model: string;
  errorTitle?: string;
  hasError?: boolean;
}

/** An example most models fail: the benchmark item may be wrong, ambiguous or mis-scored. */
export interface HardExample {
  dataset: string;
  exampleId: string;
  models: number;
  failedModels: string[];
  failShare: number;
  input?: string;
  reference?: string;
  /** What the judge said about the failures on this example that were sampled and analysed. */
  analyses: SampledFailureEvidence[];
  /** Detector findings of the family "Possible benchmark noise" on those failures. */
  findings: Finding[];
}

/** A failure the judge found no error in: a correct answer scored wrong, or an error in the benchmark. */
export interface JudgedCorrectFailure {
  failureId: string;
  dataset: string;
  exampleId: string;
  model: string;
  input: string;
  output: string;
  reference?: string;
  errorTitle: string;
  errorSummary: string;
  criteria: Criterion[];
  findings: Finding[];
}

export interface NoiseCandidates {
  hardExamples: HardExample[];
  judgedCorrect: JudgedCorrectFailure[];
}

/** One finding per detector and evidence: an example-level finding is repeated on each failure of the example. */
function distinctFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.detector, f.title, f.evidence]);
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()];
}

/**
 * Suspected benchmark noise, with the evidence to check it by hand: examples that most models fail
 * (from the outcome of every prediction, not only the sampled failures) and failures whose analysis
 * found no error.
 */
export function findNoiseCandidates(
  run: Pick<RunData, 'failures'>,
  outcomes: readonly ExampleOutcome[],
  options: NoiseOptions = {},
): NoiseCandidates {
  const minModels = options.minModels ?? 3;
  const minFailShare = options.minFailShare ?? 0.8;
  const perExample = new Map<string, { dataset: string; exampleId: string; models: Set<string>; failed: string[]; reference?: string }>();
  for (const o of outcomes) {
    const key = stratumKey(o.dataset, o.exampleId);
    const entry = perExample.get(key) ?? {
      dataset: o.dataset,
      exampleId: o.exampleId,
      models: new Set<string>(),
      failed: [],
      reference: o.reference,
    };
    entry.models.add(o.model);
    if (o.failed) entry.failed.push(o.model);
    perExample.set(key, entry);
  }
  const failuresByExample = new Map<string, RunData['failures']>();
  for (const f of run.failures) {
    const key = stratumKey(f.dataset, f.exampleId);
    failuresByExample.set(key, [...(failuresByExample.get(key) ?? []), f]);
  }
  const hardExamples: HardExample[] = [];
  for (const [key, e] of perExample) {
    const failShare = e.failed.length / e.models.size;
    if (e.models.size < minModels || failShare < minFailShare) continue;
    const sampled = failuresByExample.get(key) ?? [];
    hardExamples.push({
      dataset: e.dataset,
      exampleId: e.exampleId,
      models: e.models.size,
      failedModels: [...e.failed].sort(),
      failShare,
      input: sampled[0]?.inputText,
      reference: e.reference ?? sampled.find((f) => f.correctAnswer !== undefined)?.correctAnswer,
      analyses: sampled.map((f) => ({
        failureId: f.id,
        model: f.model,
        errorTitle: f.analysis?.errorTitle,
        hasError: f.analysis?.hasError,
      })),
      findings: distinctFindings(sampled.flatMap((f) => f.findings.filter((x) => x.family === 'Possible benchmark noise'))),
    });
  }
  hardExamples.sort(
    (a, b) =>
      b.failShare - a.failShare || b.models - a.models || a.dataset.localeCompare(b.dataset) || a.exampleId.localeCompare(b.exampleId),
  );
  const judgedCorrect = run.failures
    .filter((f) => f.analysis && !f.analysis.hasError)
    .map((f) => ({
      failureId: f.id,
      dataset: f.dataset,
      exampleId: f.exampleId,
      model: f.model,
      input: f.inputText,
      output: f.outputText,
      reference: f.correctAnswer,
      errorTitle: f.analysis?.errorTitle ?? '',
      errorSummary: f.analysis?.errorSummary ?? '',
      criteria: f.analysis?.criteria ?? [],
      findings: f.findings,
    }));
  return { hardExamples, judgedCorrect };
}
