import type { Finding } from '../detect/finding.js';
import type { Prediction } from '../ingest/prediction.js';
import type { Failure } from '../prepare/failure.js';
import type { Analysis } from './analysis.js';
import { analysisFromFindings, sortFindings } from './offline-analyst.js';

/** A mechanical finding at least this sure files the failure without a judge call (--precheck label). */
export const PRECHECK_MIN_CONFIDENCE = 0.8;
const HINT_EVIDENCE_CHARS = 300;

/** The findings as compact evidence for the judge prompt (--precheck hint); undefined when there are none. */
export function precheckHint(findings: Finding[]): string | undefined {
  if (findings.length === 0) return undefined;
  const lines = sortFindings(findings).map((f) => {
    const evidence = f.evidence.length > HINT_EVIDENCE_CHARS ? `${f.evidence.slice(0, HINT_EVIDENCE_CHARS)}…` : f.evidence;
    return `- ${f.title} (${f.detector}, confidence ${f.confidence}): ${f.summary} Evidence: ${evidence}`;
  });
  return lines.join('\n');
}

/** With --precheck label: an Analysis from a sure mechanical finding, so no judge call is made; else undefined. */
export function precheckLabel(failure: Failure, findings: Finding[]): Analysis | undefined {
  const sorted = sortFindings(findings);
  const primary = sorted.find((f) => f.mechanical && f.confidence >= PRECHECK_MIN_CONFIDENCE);
  if (!primary) return undefined;
  return analysisFromFindings(failure, primary, sorted, 'precheck');
}

/** Rough judge tokens a failure would cost (characters / 4 of input, output and references), for "tokens saved". */
export function estimateJudgeTokens(
  failure: Pick<Prediction, 'inputText' | 'outputText' | 'correctAnswer'>,
  references: Pick<Prediction, 'outputText'>[] = [],
): number {
  const chars =
    failure.inputText.length +
    failure.outputText.length +
    (failure.correctAnswer?.length ?? 0) +
    references.reduce((sum, r) => sum + r.outputText.length, 0);
  return Math.ceil(chars / 4);
}
