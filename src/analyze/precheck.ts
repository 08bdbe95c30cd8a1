import type { Analysis } from '../contracts/analysis.js';
import type { Finding } from '../detect/finding.js';
import type { Prediction } from '../ingest/prediction.js';
import type { Failure } from '../prepare/failure.js';
import { analysisFromFindings, sortFindings } from './offline-analyst.js';

/** A mechanical finding at least this sure files the failure without a judge call (--precheck label). */
export const PRECHECK_MIN_CONFIDENCE = 0.8;
const HINT_EVIDENCE_CHARS = 300;

/**
 * The findings as evidence for the judge prompt; undefined when there are none to give. Only verified
 * detectors are hinted unless `unverified` is set, and then those are marked. A hint states what was
 * observed and how reliable the check is; it never names a category, so the judge is not led to one.
 */
export function precheckHint(findings: Finding[], options: { unverified?: boolean } = {}): string | undefined {
  const given = sortFindings(findings).filter((f) => f.verified || options.unverified);
  if (given.length === 0) return undefined;
  const lines = given.map((f) => {
    const evidence = f.evidence.length > HINT_EVIDENCE_CHARS ? `${f.evidence.slice(0, HINT_EVIDENCE_CHARS)}…` : f.evidence;
    return `- ${f.verified ? '' : 'Unverified check: '}${f.summary} Evidence: ${evidence} (${f.precision})`;
  });
  return lines.join('\n');
}

/** With --precheck label: an Analysis from a sure, verified mechanical finding, so no judge call is made; else undefined. */
export function precheckLabel(failure: Failure, findings: Finding[]): Analysis | undefined {
  const sorted = sortFindings(findings);
  const primary = sorted.find((f) => f.mechanical && f.verified && f.confidence >= PRECHECK_MIN_CONFIDENCE);
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
