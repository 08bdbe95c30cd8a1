import { cleanOutput } from './answer-extraction.js';
import { defineDetector, isBlank, type Observation, resolveAnswer, tailQuote } from './detector-definition.js';
import type { DetectContext } from './finding.js';
import { NO_USABLE_ANSWER } from './no-usable-answer.js';

// Words a finished sentence does not end on.
const DANGLING_WORDS = new Set(
  'the a an of to in into on onto for with and or but nor by from as at is are was were be been being that which who whose this these those its their our your my his her if then than so because while when where whereas have has had will shall can would should could may might must get gives give using about between like such not also very more most each every both either neither whether'.split(
    ' ',
  ),
);
// ";" is left out: code ends on it.
const SENTENCE_END = /[.!?。…)"'”’\]}`*]$/u;
const OPEN_ENDING = /[,(=+\-*/^\\:[{]$/;
/** Outputs this many times the median reference length, with no final answer, ran on without concluding. */
const RUNAWAY_FACTOR = 2.5;
const RUNAWAY_MIN_LENGTH = 3000;

export const cutOff = defineDetector(
  {
    name: 'cut_off',
    family: NO_USABLE_ANSWER,
    title: 'Output cut off',
    description: 'The output stops mid-sentence, mid-formula or inside an open block, or runs on without reaching an answer.',
    mechanical: true,
  },
  (ctx) => {
    if (isBlank(ctx.failure.outputText)) return null;
    const { format, answer } = resolveAnswer(ctx);
    // Text trailing after the requested answer ("The answer is (J).\n\nFinal Answer:") did not cause the failure.
    if (format.required && answer?.strict) return null;
    const text = cleanOutput(ctx.failure.outputText).trimEnd();
    const evidence = `Output ends: "${tailQuote(text, 160)}"`;
    const found = (summary: string, confidence: number): Observation => ({ summary, evidence, confidence });

    if (countFences(text) % 2 === 1) return found('The output stops inside an unclosed code block.', 0.9);
    if (hasUnclosedBoxed(text)) return found('The output stops inside an unclosed \\boxed{...}.', 0.9);
    const lastWord = /([A-Za-z]+)$/.exec(text)?.[1];
    if (lastWord && DANGLING_WORDS.has(lastWord.toLowerCase())) {
      return found(`The output stops mid-sentence, on the word "${lastWord}".`, 0.85);
    }
    if (OPEN_ENDING.test(text)) return found(`The output stops mid-sentence, on "${text.slice(-1)}".`, 0.8);

    if (format.required && !answer) {
      // Without an answer, even a trailing number or symbol (“= +0”, “/(v_”) is a sentence left unfinished.
      if (!SENTENCE_END.test(text)) return found('The output stops mid-sentence before giving a final answer.', 0.8);
      const runaway = runawayLength(ctx, text.length);
      if (runaway) return found(runaway, 0.6);
    }
    if (!format.required && endsInUnfinishedProse(text)) {
      return found('The output stops in the middle of a sentence.', 0.65);
    }
    return null;
  },
);

function countFences(text: string): number {
  return (text.match(/^\s*```/gm) ?? []).length;
}

function hasUnclosedBoxed(text: string): boolean {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return false;
  let depth = 0;
  for (let i = start + 6; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return false;
  }
  return true;
}

/** A last line of prose (many words, lower-case ending, no stop) reads as a sentence cut short. */
function endsInUnfinishedProse(text: string): boolean {
  const lastLine = text.split('\n').at(-1)?.trim() ?? '';
  if (!/[a-z]$/.test(lastLine)) return false;
  const words = lastLine.split(/\s+/);
  return words.length >= 8 && !/^(?:[-*#>]|\d+\.)\s/.test(lastLine) && !/[;{}=()]/.test(lastLine);
}

function runawayLength(ctx: DetectContext, length: number): string | undefined {
  const lengths = ctx.references.map((r) => cleanOutput(r.outputText).trim().length).filter((n) => n > 0);
  if (lengths.length === 0) return undefined;
  const median = medianOf(lengths);
  if (length < RUNAWAY_MIN_LENGTH || length < RUNAWAY_FACTOR * median) return undefined;
  return `The reasoning runs to ${length} characters (${(length / median).toFixed(1)}× the median correct output) without reaching a final answer.`;
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
