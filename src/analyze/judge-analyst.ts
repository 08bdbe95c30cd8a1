import type { Analysis, AnalysisFailure } from '../contracts/analysis.js';
import type { Prediction } from '../ingest/prediction.js';
import type { Judge, JudgeRequest } from '../judge/judge.js';
import { isRecordableCallFailure } from '../judge/judge.js';
import type { Failure } from '../prepare/failure.js';
import type { TaskAnswer } from '../prompts/judge-tasks.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import { truncateMiddle } from './truncate.js';

export interface JudgeAnalystSettings {
  /** Character budget per text field (input, output, reference, each correct output). */
  textBudget: number;
}

export interface AnalysisEvidence {
  failure: Failure;
  /** Correct outputs of other models on the same example, already chosen. */
  references: Prediction[];
  /** Detector findings rendered as text (--precheck hint), if any. */
  hints?: string;
}

/** The error_analysis request for one failure. Pure: same evidence → same messages → same cache key. */
export function analysisRequest(
  prompts: PromptSet,
  evidence: AnalysisEvidence,
  settings: JudgeAnalystSettings,
): JudgeRequest<TaskAnswer<'error_analysis'>> {
  const cut = (s: string) => truncateMiddle(s, settings.textBudget);
  const { failure } = evidence;
  const request = prompts.requestFor('error_analysis', {
    input_text: cut(failure.inputText),
    reference: failure.correctAnswer ? cut(failure.correctAnswer) : '',
    correct_outputs: evidence.references.map((r) => cut(r.outputText)),
    output_text: failure.outputText.trim() === '' ? '(the model produced no output)' : cut(failure.outputText),
    hints: evidence.hints ?? '',
    grader_note: failure.graderNote ?? '',
  });
  return { ...request, cacheablePrefix: sharedPrefixLength(request.user) };
}

/**
 * Where the part of a rendered analysis prompt shared by every failure of one example ends: just
 * before the failing output (data cannot hold the tag: it is escaped as data). Undefined when the template has none.
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
  prompts: PromptSet,
  evidence: AnalysisEvidence,
  settings: JudgeAnalystSettings,
): Promise<Analysis | AnalysisFailure> {
  try {
    const { value } = await judge.call(analysisRequest(prompts, evidence, settings));
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
    // An unavailable judge (rejected key, unreachable server) stops the run instead of failing every failure.
    if (isRecordableCallFailure(e)) return { failureId: evidence.failure.id, reason: e.reason };
    throw e;
  }
}

export function isAnalysis(result: Analysis | AnalysisFailure): result is Analysis {
  return 'errorTitle' in result;
}
