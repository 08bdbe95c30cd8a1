import { cleanOutput } from './answer-extraction.js';
import { medianOf } from './cut-off.js';
import { defineDetector, isBlank, resolveAnswer } from './detector-definition.js';

/** Below this share of the median reference length an open-ended answer is flagged. */
export const SHORT_SHARE = 0.25;
/** References shorter than this are short answers themselves; length says little then. */
const MIN_REFERENCE_LENGTH = 200;
const MAX_VERDICT_WORDS = 6;

export const muchShorterThanReferences = defineDetector(
  {
    name: 'much_shorter_than_references',
    family: 'Incomplete answer',
    title: 'Much shorter than correct answers',
    description: `An open-ended answer under ${SHORT_SHARE * 100}% of the median length of the reference and other models' correct outputs: likely omits required content.`,
    mechanical: false,
  },
  (ctx) => {
    if (isBlank(ctx.failure.outputText) || resolveAnswer(ctx).format.kind !== 'free') return null;
    const others = ctx.references.filter((r) => r.model !== ctx.failure.model).map((r) => cleanOutput(r.outputText).trim().length);
    const reference = ctx.failure.correctAnswer?.trim() ?? '';
    const lengths = reference.length > 0 ? [...others, reference.length] : others;
    if (lengths.length === 0) return null;
    const median = medianOf(lengths);
    const length = cleanOutput(ctx.failure.outputText).trim().length;
    if (median < MIN_REFERENCE_LENGTH || length >= SHORT_SHARE * median) return null;
    // A correct answer about as short as this one shows that brevity alone does not fail the task.
    if (others.some((n) => n <= 2 * length)) return null;
    // The answer it lost to is hardly longer: length is not what separates them.
    if (reference.length > 0 && reference.length <= 2 * length) return null;
    // "Yes.", "Sure." to a request it should decline: a decision, not an answer that left content out.
    if (cleanOutput(ctx.failure.outputText).trim().split(/\s+/).length <= MAX_VERDICT_WORDS) return null;
    return {
      summary: `The output has ${length} characters, ${Math.round((length / median) * 100)}% of the median ${Math.round(median)} of ${lengths.length} reference answer${lengths.length === 1 ? '' : 's'}: it likely leaves out required content.`,
      evidence: `Output (${length} chars): "${cleanOutput(ctx.failure.outputText).trim().slice(0, 200)}"; reference lengths: ${lengths.join(', ')}.`,
      confidence: 0.6,
    };
  },
);
