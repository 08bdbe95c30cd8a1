import { cleanOutput } from './answer-extraction.js';
import { defineDetector, headQuote, isBlank, resolveAnswer, tailQuote } from './detector-definition.js';

/** The family of every detector that finds no answer to grade: blank, refused, cut off, looping. */
export const NO_USABLE_ANSWER = 'No usable answer' as const;

export const emptyOutput = defineDetector(
  {
    name: 'empty_output',
    family: NO_USABLE_ANSWER,
    title: 'Empty output',
    description: 'The model returned no text, or only whitespace.',
    mechanical: true,
  },
  ({ failure }) =>
    isBlank(failure.outputText)
      ? { summary: 'The output is empty, so there is nothing to grade.', evidence: JSON.stringify(failure.outputText), confidence: 1 }
      : null,
);

// Explicit declines: the model says it will not or cannot do the task.
const DECLINES = [
  /\bI(?:'m| am)? (?:so )?(?:sorry|afraid)\b[^.\n]{0,80}\b(?:can(?:no|')t|unable|not able|won't|will not)\b/i,
  /\bI apologi[sz]e\b[^.\n]{0,80}\b(?:can(?:no|')t|unable|not able|won't|will not)\b/i,
  /\bI (?!can(?:no|')t help but)(?:can(?:no|')t|won't|will not|am unable to|am not able to|'m unable to|'m not able to|must decline to|(?:do not|don't) feel comfortable)\b[^.\n]{0,40}\b(?:help|assist|provide|answer|comply|fulfil|fulfill|create|write|generate|engage|support|give|complete|do|share|offer)\b/i,
  /\bAs an AI\b[^.\n]{0,60}\b(?:can(?:no|')t|unable|not able|(?:do not|don't) have (?:access|the ability))\b/i,
];
// Softer declines count only in a short output, where nothing else follows them.
const SHORT_DECLINES = [
  // "As an AI language model, I am not licensed to provide medical advice."; "I'm not trained to do that, yet."
  /\bI(?:'m| am) not (?:licensed|trained|qualified|programmed|designed|able|capable)\b/i,
  // Asks the user for what it needs instead of doing the task: "Please tell me the name of the customer…"
  /\b(?:please|could you(?: please)?|can you(?: please)?|would you(?: please)?)\s+(?:tell|give|provide|share|specify|clarify|send)\b(?: me)?\b[^.?!\n]{0,80}[.?]\s*$/i,
];
const SHORT_OUTPUT = 350;
// A chat model's premise objection with no answer after it: "I must point out that the question contains
// some assumptions that don't make sense."
const PREMISE_OBJECTION =
  /\bI must (?:respectfully )?(?:point out|clarify|inform you)\b[^.\n]{0,140}?(?:(?:doesn't|does not|don't|do not|isn't|is not|not) (?:make sense|possible|accurate|coherent|factually|appropriate|clear)|assumptions|inaccurac|nonsensical|problematic|harmful|offensive|inappropriate)/i;
// After a premise objection, these mean it answers anyway: a pivot, an offered alternative, or a list of steps.
const ANSWERS_ANYWAY =
  /\b(?:However|That said|That being said|But|Assuming)\b[^.\n]{0,80}\b(?:answer|I can|would be|calculate|total|is approximately)\b|\bhere(?:'s| is| are)\b|\binstead\b|(?:^|\n)\s*(?:verse|chorus)\b|(?:\n\s*\d+\.\s.*){3}/i;
// Deflections that stand in for an answer when one was required.
const DEFLECTIONS =
  /\b(?:cannot|can't|impossible to|unable to) (?:be )?(?:determined?|calculated?|answered?|expressed as)\b|\bnot (?:enough|sufficient) information\b|\binsufficient information\b|\bnone of the (?:options|choices|answer choices|given options)\b|\banswer is not available\b|\bthere is no correct (?:answer|option)\b|\bnot answerable\b|\bI(?:'m| am) not (?:licensed|trained|qualified|programmed) to\b|\bdifficult to (?:make a definitive|say for certain)\b/i;
const REFUSAL_WINDOW = 300;
// "…I cannot give a personal opinion. However, I can list…" followed by a full answer is a caveat, not a refusal.
const PIVOT = /\b(?:However|But|That said|That being said|Instead)\b,? (?:I can|here (?:is|are)|I'd be happy|I will)\b/i;
// Long enough after the pivot to hold an answer of its own (a list of steps, a rewritten request).
const PIVOT_ANSWER = 250;

export const refusal = defineDetector(
  {
    name: 'refusal',
    family: NO_USABLE_ANSWER,
    title: 'Refusal or deflection',
    description: 'The model declines the task or says it cannot be answered instead of answering.',
    mechanical: true,
  },
  (ctx) => {
    const output = cleanOutput(ctx.failure.outputText);
    const { format, answer } = resolveAnswer(ctx);
    if (format.required) {
      // A model that hedges and still answers ("I can't be sure, but the answer is (B)") did not refuse.
      if (answer?.strict) return null;
      const match = DECLINES.map((p) => p.exec(output)).find((m) => m) ?? DEFLECTIONS.exec(output);
      // A fallback answer counts unless the model takes it back afterwards ("closest is H … not answerable");
      // a decline that opens the very line holding the pick ("Insufficient information, so Option C.") does not.
      if (answer && (!match || match.index <= output.lastIndexOf(answer.quote))) return null;
      // An output cut off mid-sentence may be reasoning toward an answer ("none of the options A, B or C are false. The answer is (").
      if (!match || !/[.!?)"'”]$/.test(output.trimEnd())) return null;
      return {
        summary: `Declines to give an answer ("${match[0]}") where ${format.requested} was required.`,
        evidence: quoteAround(output, match.index, match[0].length),
        confidence: 0.9,
      };
    }
    const opening = output.trimStart().slice(0, REFUSAL_WINDOW);
    const objection = PREMISE_OBJECTION.exec(opening);
    if (objection && !ANSWERS_ANYWAY.test(output.slice(objection.index + objection[0].length))) {
      return {
        summary: `Objects to the question's premise ("${objection[0]}") and does not answer it.`,
        evidence: headQuote(output, 300),
        confidence: 0.8,
      };
    }
    const short = output.trim().length <= SHORT_OUTPUT ? SHORT_DECLINES : [];
    const match = [...DECLINES, ...short].map((p) => p.exec(opening)).find((m) => m);
    if (!match) return null;
    const rest = output.slice(output.indexOf(match[0]) + match[0].length);
    if (PIVOT.test(rest) && output.length > PIVOT_ANSWER) return null;
    return {
      summary: `Opens by declining the request ("${match[0]}") instead of doing it.`,
      evidence: headQuote(output, 300),
      confidence: 0.85,
    };
  },
);

export const noFinalAnswer = defineDetector(
  {
    name: 'no_final_answer',
    family: NO_USABLE_ANSWER,
    title: 'No extractable final answer',
    description:
      'The prompt asked for a final answer in a set form, and none can be read from the output, or the answer is an expression where a number was asked for.',
    mechanical: true,
  },
  (ctx) => {
    if (isBlank(ctx.failure.outputText)) return null;
    const { format, answer } = resolveAnswer(ctx);
    if (!format.required) return null;
    if (answer?.value?.form === 'expression' && format.kind === 'number') {
      const value = answer.value.value;
      return {
        summary: `The final answer is the expression "${answer.value.expression}", not the number the prompt asked for${value !== undefined ? ` (it evaluates to ${formatValue(value)})` : ''}.`,
        evidence: `"${answer.quote}"`,
        confidence: 0.85,
      };
    }
    if (answer) return null;
    return {
      summary: `The output never states a final answer; the prompt asked for ${format.requested}.`,
      evidence: `Output ends: "${tailQuote(ctx.failure.outputText)}"`,
      confidence: 0.8,
    };
  },
);

function quoteAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 80);
  const end = Math.min(text.length, index + length + 80);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}

function formatValue(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
