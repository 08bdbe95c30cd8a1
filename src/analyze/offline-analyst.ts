import type { Analysis, Criterion } from '../contracts/analysis.js';
import type { Finding } from '../detect/finding.js';
import { allDetectors, familyDescriptions } from '../detect/run-detectors.js';
import type { Failure } from '../prepare/failure.js';

/** The category of failures no detector explains, when there is no judge. */
export const UNEXPLAINED_CATEGORY = 'Unexplained without a judge';
export const OFFLINE_JUDGE = 'offline';
const NOISE_DETECTOR = 'matches_reference';
/**
 * Says something about the example, not about this output: on a hard benchmark most failures are on
 * examples most models fail, so filing by it would hide every real cause. It stays as evidence.
 */
const EXAMPLE_LEVEL_DETECTORS = new Set(['hard_example']);

/** The requirement each detector checks, and how a finding rates it. */
const CRITERIA: Record<string, Pick<Criterion, 'criterion' | 'present' | 'quality'>> = {
  empty_output: { criterion: 'Produces a response', present: false, quality: 'incorrect' },
  refusal: { criterion: 'Attempts the task instead of declining it', present: false, quality: 'incorrect' },
  cut_off: { criterion: 'Completes the response', present: true, quality: 'incorrect' },
  repetition_loop: { criterion: 'Progresses without repeating itself', present: true, quality: 'incorrect' },
  no_final_answer: { criterion: 'Gives a final answer in the requested format', present: false, quality: 'incorrect' },
  answer_format_mismatch: { criterion: 'Gives a final answer in the requested format', present: true, quality: 'incorrect' },
  wrong_choice: { criterion: 'Chooses the correct option', present: true, quality: 'incorrect' },
  sign_error: { criterion: 'Reaches the correct numeric value', present: true, quality: 'partially correct' },
  power_of_ten: { criterion: 'Reaches the correct numeric value', present: true, quality: 'partially correct' },
  rounding: { criterion: 'Reports the value at the expected precision', present: true, quality: 'partially correct' },
  near_miss: { criterion: 'Reaches the correct numeric value', present: true, quality: 'partially correct' },
  much_shorter_than_references: { criterion: 'Covers the content a correct answer covers', present: true, quality: 'partially correct' },
  matches_reference: { criterion: 'Gives the reference answer', present: true, quality: 'correct' },
  hard_example: { criterion: 'Answers an example whose reference other models can reach', present: true, quality: 'incorrect' },
};

/**
 * Files a failure under its strongest verified finding, without a judge (source "detector"). Findings of
 * unverified detectors never file a failure; they stay as evidence beside "Unexplained without a judge".
 */
export function offlineAnalysis(failure: Failure, findings: Finding[]): Analysis {
  const sorted = sortFindings(findings);
  const primary = sorted.find((f) => f.verified && !EXAMPLE_LEVEL_DETECTORS.has(f.detector));
  if (!primary) return unexplained(failure, sorted);
  return analysisFromFindings(failure, primary, sorted, 'detector');
}

/** An analysis whose category and title come from `primary`, with a criterion for every finding. */
export function analysisFromFindings(failure: Failure, primary: Finding, findings: Finding[], source: 'detector' | 'precheck'): Analysis {
  const ordered = [primary, ...findings.filter((f) => f !== primary)];
  return {
    failureId: failure.id,
    source,
    judge: OFFLINE_JUDGE,
    criteria: criteriaFor(ordered),
    hasError: !findings.some((f) => f.detector === NOISE_DETECTOR),
    errorTitle: primary.title,
    errorSummary: primary.summary,
    detector: primary.detector,
    fixedPath: [primary.family, primary.title],
  };
}

/** Name → description of every category an offline or pre-check analysis can be filed under. */
export function categoryDescriptions(): Record<string, string> {
  const descriptions: Record<string, string> = { ...familyDescriptions };
  for (const detector of allDetectors) descriptions[detector.title] = detector.description;
  descriptions[UNEXPLAINED_CATEGORY] = 'Failures no deterministic detector explains; a judge is needed to say what went wrong.';
  return descriptions;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => b.confidence - a.confidence || (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0));
}

function criteriaFor(findings: Finding[]): Criterion[] {
  const criteria: Criterion[] = [];
  for (const finding of findings) {
    const base = CRITERIA[finding.detector] ?? { criterion: finding.title, present: true, quality: 'incorrect' as const };
    // Two detectors can check one requirement (no answer, wrong format): keep the first, strongest.
    if (criteria.some((c) => c.criterion === base.criterion)) continue;
    criteria.push({ ...base, evidence: finding.evidence, comment: `${finding.summary} (${finding.precision})` });
  }
  return criteria;
}

function unexplained(failure: Failure, exampleFindings: Finding[]): Analysis {
  return {
    failureId: failure.id,
    source: 'detector',
    judge: OFFLINE_JUDGE,
    criteria: [
      {
        criterion: "Meets the benchmark's success criterion",
        present: true,
        quality: 'incorrect',
        evidence: '',
        comment: `Scored ${failure.score}, below the threshold ${failure.threshold}; no deterministic detector explains why.`,
      },
      ...criteriaFor(exampleFindings),
    ],
    hasError: true,
    errorTitle: UNEXPLAINED_CATEGORY,
    errorSummary: `The output scored ${failure.score} (threshold ${failure.threshold}), and no deterministic detector explains the failure; a judge is needed to analyse it.`,
    fixedPath: [UNEXPLAINED_CATEGORY],
  };
}
