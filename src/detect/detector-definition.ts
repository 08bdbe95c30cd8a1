import { type AnswerFormat, cleanOutput, detectAnswerFormat, type ExtractedAnswer, extractAnswer } from './answer-extraction.js';
import { type ChoiceOption, referenceLetter } from './choice-options.js';
import { calibrationOf } from './detector-calibration.js';
import type { DetectContext, Detector, DetectorFamily, Finding } from './finding.js';
import { type ParsedNumber, parseWholeNumber } from './number-parsing.js';

/** A detector with the fixed wording the offline taxonomy and the pre-check use. */
export interface DetectorDefinition extends Detector {
  /** Category name under the family, and the finding's title. */
  title: string;
  /** What the category means, for the taxonomy. */
  description: string;
  mechanical: boolean;
}

/** What a detector's check returns; the definition fills in name, family, title and mechanical. */
export interface Observation {
  summary: string;
  evidence: string;
  confidence: number;
}

export function defineDetector(
  meta: Omit<DetectorDefinition, 'detect'>,
  check: (ctx: DetectContext) => Observation | null,
): DetectorDefinition {
  return {
    ...meta,
    detect(ctx) {
      const observed = check(ctx);
      if (!observed) return null;
      const calibration = calibrationOf(meta.name);
      const finding: Finding = {
        detector: meta.name,
        family: meta.family,
        title: meta.title,
        mechanical: meta.mechanical,
        ...observed,
        verified: calibration.verified,
        precision: calibration.note,
      };
      return finding;
    },
  };
}

/** The answer format, the extracted answer and the reference, resolved once per context. */
export interface ResolvedAnswer {
  format: AnswerFormat;
  answer?: ExtractedAnswer;
  referenceLetter?: string;
  referenceNumber?: ParsedNumber;
  options: ChoiceOption[];
}

// Every detector asks for the answer; reading it once per context keeps detection linear in the text.
const resolved = new WeakMap<DetectContext, ResolvedAnswer>();

export function resolveAnswer(ctx: DetectContext): ResolvedAnswer {
  let answer = resolved.get(ctx);
  if (!answer) {
    answer = readAnswer(ctx);
    resolved.set(ctx, answer);
  }
  return answer;
}

function readAnswer(ctx: DetectContext): ResolvedAnswer {
  const { inputText, outputText, correctAnswer } = ctx.failure;
  const format = detectAnswerFormat(inputText, correctAnswer, ctx.answerFormat);
  return {
    format,
    answer: extractAnswer(outputText, format),
    referenceLetter: format.kind === 'choice' ? referenceLetter(correctAnswer) : undefined,
    referenceNumber: correctAnswer !== undefined ? parseWholeNumber(correctAnswer) : undefined,
    options: format.kind === 'choice' ? format.options : [],
  };
}

export function isBlank(output: string): boolean {
  return cleanOutput(output).trim() === '';
}

/** The last `max` characters of the output, verbatim, marked when shortened. */
export function tailQuote(output: string, max = 200): string {
  const text = cleanOutput(output).trimEnd();
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

export function headQuote(text: string, max = 200): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max)}…`;
}

export type { DetectorFamily };
