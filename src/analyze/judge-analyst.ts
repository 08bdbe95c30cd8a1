import type { Prediction } from '../ingest/prediction.js';
import type { Judge } from '../judge/judge.js';
import { JudgeCallError } from '../judge/judge.js';
import type { Failure } from '../prepare/failure.js';
import type { PromptTemplate, RenderedPrompt } from '../prompts/prompt-loader.js';
import type { Analysis, AnalysisFailure } from './analysis.js';
import { errorAnalysisSchema } from './analysis.js';
import { truncateMiddle } from './truncate.js';

export interface JudgeAnalystSettings {
  /** Character budget per text field (input, output, reference, each correct output). */
  textBudget: number;
}

export const DEFAULT_TEXT_BUDGET = 12_000;

export interface AnalysisEvidence {
  failure: Failure;
  /** Correct outputs of other models on the same example, already chosen. */
  references: Prediction[];
  /** Detector findings rendered as text (--precheck hint), if any. */
  hints?: string;
}

/** The tags that delimit data in the error_analysis prompt. */
const DATA_TAG = /<(\/?)(input|reference|correct_output|model_output|checks|grader_note)\b/gi;

/**
 * Data may not close or open the prompt's own data tags: a model output containing "</model_output>"
 * followed by instructions must stay inside its block. Such tags get a look-alike bracket.
 */
export function asData(text: string): string {
  return text.replace(DATA_TAG, '‹$1$2');
}

/** Renders the error_analysis prompt for one failure. Pure: same evidence → same messages → same cache key. */
export function renderAnalysisPrompt(template: PromptTemplate, evidence: AnalysisEvidence, settings: JudgeAnalystSettings): RenderedPrompt {
  const cut = (s: string) => asData(truncateMiddle(s, settings.textBudget));
  const { failure } = evidence;
  return template.render({
    input_text: cut(failure.inputText),
    reference: failure.correctAnswer ? cut(failure.correctAnswer) : '',
    correct_outputs: evidence.references.map((r) => cut(r.outputText)),
    output_text: failure.outputText.trim() === '' ? '(the model produced no output)' : cut(failure.outputText),
    hints: asData(evidence.hints ?? ''),
    grader_note: asData(failure.graderNote ?? ''),
  });
}

/**
 * Where the part of a rendered analysis prompt shared by every failure of one example ends: just
 * before the failing output (data cannot hold the tag, see asData). Undefined when the template has none.
 */
export function sharedPrefixLength(user: string): number | undefined {
  const at = user.indexOf('<model_output>');
  return at > 0 ? at : undefined;
}

function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The paper's stage 1: asks the judge for the criteria, the grades and the first major error.
 * A call that keeps failing comes back as an AnalysisFailure with its reason; the run goes on.
 */
export async function analyzeWithJudge(
  judge: Judge,
  template: PromptTemplate,
  evidence: AnalysisEvidence,
  settings: JudgeAnalystSettings,
): Promise<Analysis | AnalysisFailure> {
  const prompt = renderAnalysisPrompt(template, evidence, settings);
  try {
    const { value } = await judge.call({
      task: 'error_analysis',
      system: prompt.system,
      user: prompt.user,
      schema: errorAnalysisSchema,
      cacheablePrefix: sharedPrefixLength(prompt.user),
    });
    return {
      failureId: evidence.failure.id,
      source: 'judge',
      judge: judge.id,
      criteria: value.criteria,
      hasError: value.has_error,
      errorTitle: tidy(value.error_title),
      errorSummary: tidy(value.error_summary),
    };
  } catch (e) {
    if (JudgeCallError.isInstance(e)) return { failureId: evidence.failure.id, reason: e.reason };
    throw e;
  }
}

export function isAnalysis(result: Analysis | AnalysisFailure): result is Analysis {
  return 'errorTitle' in result;
}
