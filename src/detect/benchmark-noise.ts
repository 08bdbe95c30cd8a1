import { isScored, type Prediction } from '../ingest/prediction.js';
import type { ExtractedAnswer } from './answer-extraction.js';
import { defineDetector, type ResolvedAnswer, resolveAnswer } from './detector-definition.js';
import { relativeError } from './number-parsing.js';

const FAMILY = 'Possible benchmark noise' as const;
/** Share of models failing an example above which its reference is suspect. */
export const HARD_EXAMPLE_SHARE = 0.8;
export const HARD_EXAMPLE_MIN_MODELS = 3;

export const matchesReference = defineDetector(
  {
    name: 'matches_reference',
    family: FAMILY,
    title: 'Answer matches the reference but was scored wrong',
    description:
      'The extracted final answer equals the reference answer, yet the score marks it wrong: a scoring or reference problem rather than a model error.',
    mechanical: false,
  },
  (ctx) => {
    const resolved = resolveAnswer(ctx);
    const reference = ctx.failure.correctAnswer?.trim();
    if (!resolved.answer || !reference || !answerEqualsReference(resolved, resolved.answer, reference)) return null;
    return {
      summary: `The final answer "${resolved.answer.text}" equals the reference "${reference}", but the score is ${ctx.failure.score} (threshold ${ctx.failure.threshold}).`,
      evidence: `Output: "${resolved.answer.quote}"; reference: "${reference}"; score ${ctx.failure.score}.`,
      confidence: 0.8,
    };
  },
);

function answerEqualsReference(resolved: ResolvedAnswer, answer: ExtractedAnswer, reference: string): boolean {
  const { format } = resolved;
  if (format.kind === 'choice') return answer.strict && answer.text === resolved.referenceLetter;
  if (resolved.referenceNumber && answer.number) return relativeError(answer.number.value, resolved.referenceNumber.value) <= 1e-6;
  const said = normalize(answer.text);
  const expected = normalize(reference);
  if (expected === 'true' || expected === 'false') return /^(true|false)\b/.exec(said)?.[1] === expected;
  if (/^\([a-z]\)$/.test(expected)) return said === expected || said.startsWith(expected) || said === expected[1];
  return said === expected;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[\s$]/g, '').replace(/\.$/, '');
}

export const hardExample = defineDetector(
  {
    name: 'hard_example',
    family: FAMILY,
    title: 'Example most models fail',
    description: `At least ${HARD_EXAMPLE_SHARE * 100}% of models (of ${HARD_EXAMPLE_MIN_MODELS} or more) fail this example, or none gets it right: the reference may be wrong or the question ambiguous.`,
    mechanical: false,
  },
  ({ failure, sameExample }) => {
    const byModel = new Map<string, Prediction>();
    for (const p of sameExample) if (p.dataset === failure.dataset && p.exampleId === failure.exampleId) byModel.set(p.model, p);
    byModel.set(failure.model, failure);
    // A model with no score on the example neither failed nor passed it: it is not counted.
    const models = [...byModel.values()].filter(isScored);
    const failed = models.filter((p) => p.score < failure.threshold);
    const share = failed.length / models.length;
    const noneRight = models.length >= 2 && failed.length === models.length;
    // Stryker disable next-line EqualityOperator: `<=` differs only at 3 models, where a share of at least 80% means all 3 failed (noneRight); the share's `<` mutant is killed by the 4-of-5 test
    if (!noneRight && (models.length < HARD_EXAMPLE_MIN_MODELS || share < HARD_EXAMPLE_SHARE)) return null;
    const passed = models.filter((p) => p.score >= failure.threshold).map((p) => p.model);
    return {
      summary: noneRight
        ? `None of the ${models.length} models gets this example right; the reference may be wrong or the question ambiguous.`
        : `${failed.length} of ${models.length} models fail this example; the reference may be wrong or the question ambiguous.`,
      evidence: `Scores: ${models.map((p) => `${p.model} ${p.score}`).join(', ')} (threshold ${failure.threshold})${passed.length ? `; passed: ${passed.join(', ')}` : ''}.`,
      confidence: noneRight ? 0.45 : 0.4,
    };
  },
);
