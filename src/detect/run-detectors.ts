import { cleanOutput } from './answer-extraction.js';
import { answerFormatMismatch } from './answer-format.js';
import { hardExample, matchesReference } from './benchmark-noise.js';
import { cutOff } from './cut-off.js';
import type { DetectorDefinition } from './detector-definition.js';
import type { DetectContext, DetectorFamily, Finding } from './finding.js';
import { muchShorterThanReferences } from './incomplete-answer.js';
import { emptyOutput, noFinalAnswer, refusal } from './no-usable-answer.js';
import { nearMiss, powerOfTenError, roundingError, signError } from './numeric-slip.js';
import { repetitionLoop } from './repetition-loop.js';
import { wrongChoice } from './wrong-choice.js';

/** Every detector, in a fixed order. */
export const allDetectors: readonly DetectorDefinition[] = [
  emptyOutput,
  refusal,
  cutOff,
  repetitionLoop,
  noFinalAnswer,
  answerFormatMismatch,
  wrongChoice,
  signError,
  powerOfTenError,
  roundingError,
  nearMiss,
  muchShorterThanReferences,
  matchesReference,
  hardExample,
];

export const familyDescriptions: Record<DetectorFamily, string> = {
  'No usable answer': 'The output gives nothing to grade: empty, a refusal, cut off, stuck in a loop, or without a final answer.',
  'Answer format': 'An answer is there, but not in the format the prompt asked for.',
  'Wrong choice': 'A multiple-choice answer names the wrong option.',
  'Numeric slip': 'A numeric answer close to the reference: a near miss, a flipped sign, a power of ten or unit factor, or rounding.',
  'Incomplete answer': 'An open-ended answer far shorter than correct answers, likely missing required content.',
  'Possible benchmark noise':
    'The failure may lie in the benchmark: the answer matches the reference, or almost every model fails the example.',
};

/** Detector name → title and description, for the offline taxonomy. */
export function detectorDescriptions(): Record<string, { family: DetectorFamily; title: string; description: string }> {
  return Object.fromEntries(allDetectors.map((d) => [d.name, { family: d.family, title: d.title, description: d.description }]));
}

export function detectorNamed(name: string): DetectorDefinition | undefined {
  return allDetectors.find((d) => d.name === name);
}

/**
 * Detectors read at most this many characters of an output: the head and the tail, half each. A longer
 * output is a loop or a runaway, which both halves show; the cap bounds the time per failure.
 */
export const MAX_DETECT_CHARS = 100_000;

/** The output as detectors read it: end-of-text tokens removed, capped at MAX_DETECT_CHARS. */
export function detectableOutput(output: string): string {
  const text = cleanOutput(output);
  if (text.length <= MAX_DETECT_CHARS) return text;
  const half = MAX_DETECT_CHARS / 2;
  return `${text.slice(0, half)}\n…\n${text.slice(-half)}`;
}

/** Runs every detector on one failure; findings sorted by confidence (highest first), then name. */
export function detectFailure(ctx: DetectContext, detectors: readonly DetectorDefinition[] = allDetectors): Finding[] {
  const findings: Finding[] = [];
  const read: DetectContext = { ...ctx, failure: { ...ctx.failure, outputText: detectableOutput(ctx.failure.outputText) } };
  for (const detector of detectors) {
    const finding = detector.detect(read);
    if (finding) findings.push(finding);
  }
  // Each detector gives at most one finding, so two findings never share a name: the tie-break needs no "equal".
  return findings.sort((a, b) => b.confidence - a.confidence || (a.detector < b.detector ? -1 : 1));
}
