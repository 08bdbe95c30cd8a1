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
const OPEN_ENDING = /[,(=+\-*/^\\:[{]$/;
/** Stop reasons frameworks log for a token limit: OpenAI/HELM "length", Inspect/Anthropic "max_tokens". */
const LENGTH_REASONS = new Set(['length', 'max_tokens', 'max_length', 'model_length', 'max_new_tokens', 'token_limit']);
/** Stop reasons that say the model ended the output itself. Others (a content filter) say nothing about length. */
const ENDED_REASONS = new Set(['stop', 'end_turn', 'stop_sequence', 'eos']);

export function isLengthStop(reason: string | undefined): boolean {
  return reason !== undefined && LENGTH_REASONS.has(reason.trim().toLowerCase());
}

export const cutOff = defineDetector(
  {
    name: 'cut_off',
    family: NO_USABLE_ANSWER,
    title: 'Output cut off',
    description:
      'Generation stopped at the token limit (when the input records why it stopped), or the output visibly breaks off: an unclosed code block or LaTeX group, or a sentence broken off with no final answer anywhere.',
    mechanical: true,
  },
  (ctx) => {
    if (isBlank(ctx.failure.outputText)) return null;
    const text = cleanOutput(ctx.failure.outputText).trimEnd();
    const evidence = `Output ends: "${tailQuote(text, 160)}"`;
    const reason = ctx.failure.finishReason;
    // Evidence first: where the input records why generation stopped, that settles it.
    if (isLengthStop(reason)) {
      return {
        summary: `Generation stopped at the token limit (stop reason "${reason}").`,
        evidence: `stop reason "${reason}"; ${evidence}`,
        confidence: 0.97,
      };
    }
    if (reason !== undefined && ENDED_REASONS.has(reason.trim().toLowerCase())) return null;
    return visibleBreak(ctx, text, evidence);
  },
);

/** Without a recorded stop reason, only strong evidence counts; a final answer on the last line rules it out. */
function visibleBreak(ctx: DetectContext, text: string, evidence: string): Observation | null {
  const found = (summary: string, confidence: number): Observation => ({ summary, evidence, confidence });
  const { format, answer } = resolveAnswer(ctx);
  const last = lastLine(text);
  // split always gives at least one part, so the quote's last line is never missing
  if (answer && (last.includes(answer.quote.trim().split('\n').at(-1) as string) || last.includes(answer.text))) return null;

  if (countFences(text) % 2 === 1) return found('The output stops inside an unclosed code block.', 0.9);
  const latex = unclosedLatex(text);
  if (latex) return found(`The output stops inside an unclosed ${latex}.`, 0.9);
  // A broken sentence counts only when no final answer was given anywhere in the output.
  if (answer) return null;
  if (isAnswerList(last, ctx)) return null;
  // Stryker disable next-line MethodExpression: the whole text ends in the same word unless that word is over 40 letters, and no dangling word is
  const lastWord = /([A-Za-z]+)$/.exec(text.slice(-40))?.[1];
  const words = last.split(/\s+/).length;
  if (lastWord && DANGLING_WORDS.has(lastWord.toLowerCase()) && words >= 4) {
    return found(`The output stops mid-sentence, on the word "${lastWord}", without a final answer.`, 0.85);
  }
  if (OPEN_ENDING.test(text) && words >= 3)
    return found(`The output stops mid-sentence, on "${text.slice(-1)}", without a final answer.`, 0.8);
  if (format.required && /[A-Za-z0-9]$/.test(text) && words >= 6 && !/^(?:[-*#>|]|\d+\.)\s/.test(last)) {
    return found('The output stops mid-sentence before giving a final answer.', 0.8);
  }
  if (!format.required && endsInUnfinishedProse(last)) return found('The output stops in the middle of a sentence.', 0.7);
  return null;
}

/** The last non-blank line, at most its last 2,000 characters (a line can be a whole megabyte). */
function lastLine(text: string): string {
  // Stryker disable next-line MethodExpression: the one caller passes text already trimmed at the end, and trimming its start moves no line break into or out of the last line
  const end = text.trimEnd();
  return end.slice(Math.max(end.lastIndexOf('\n') + 1, end.length - 2000)).trim();
}

function countFences(text: string): number {
  return (text.match(/^\s*```/gm) ?? []).length;
}

/** "\\boxed{" without its closing brace, "\\begin{env}" without "\\end{env}", or an odd number of "$$". */
function unclosedLatex(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start >= 0) {
    let depth = 0;
    let closed = false;
    for (let i = start + 6; i < text.length && !closed; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) closed = true;
    }
    if (!closed) return '\\boxed{...}';
  }
  const begins = new Map<string, number>();
  for (const m of text.matchAll(/\\(begin|end)\{([a-z*]+)\}/g)) begins.set(m[2], (begins.get(m[2]) ?? 0) + (m[1] === 'begin' ? 1 : -1));
  const open = [...begins].find(([, n]) => n > 0);
  if (open) return `\\begin{${open[0]}} environment`;
  if ((text.match(/\$\$/g) ?? []).length % 2 === 1) return '$$ display formula';
  return undefined;
}

/** A last line made of the prompt's own words or brackets is an answer list (a sorting or sequence task), not prose. */
function isAnswerList(line: string, ctx: DetectContext): boolean {
  const reference = ctx.failure.correctAnswer;
  if (reference !== undefined && /^[\s()[\]{}<>]*$/.test(reference)) return true;
  const tokens = line
    .replace(/^[A-Za-z]+:\s*/, '')
    .toLowerCase()
    .split(/[\s,]/)
    .filter((t) => t !== '');
  if (tokens.length < 2) return false;
  const input = new Set(ctx.failure.inputText.toLowerCase().split(/[^a-z0-9()[\]{}<>]/));
  return tokens.filter((t) => input.has(t)).length >= 0.8 * tokens.length;
}

/** A last line of prose (many words, lower-case ending, no stop) reads as a sentence cut short. */
function endsInUnfinishedProse(lastLine: string): boolean {
  if (!/[a-z]$/.test(lastLine)) return false;
  const words = lastLine.split(/\s+/);
  return words.length >= 8 && !/^(?:[-*#>]|\d+\.)\s/.test(lastLine) && !/[;{}=()]/.test(lastLine);
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
