import { defineDetector, resolveAnswer } from './detector-definition.js';

export const answerFormatMismatch = defineDetector(
  {
    name: 'answer_format_mismatch',
    family: 'Answer format',
    title: 'Final answer not in the requested format',
    description: 'An answer can be found, but not in the form the prompt asked for, so a strict scorer misses it.',
    mechanical: true,
  },
  (ctx) => {
    const { format, answer, referenceLetter } = resolveAnswer(ctx);
    // Number prompts say "like 'Therefore, the answer is ...'": a different final sentence is not a format error.
    if (!answer || answer.strict || (format.kind !== 'choice' && format.kind !== 'boxed')) {
      return null;
    }
    const matches = referenceLetter !== undefined && answer.text === referenceLetter;
    return {
      summary: `Gives "${answer.text}" as "${answer.quote}" instead of ${format.requested}${matches ? '; that answer is the correct one, so only the format failed' : ''}.`,
      evidence: `"${answer.quote}"`,
      confidence: matches ? 0.85 : 0.75,
    };
  },
);
