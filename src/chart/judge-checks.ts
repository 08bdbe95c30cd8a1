import { truncateMiddle } from '../analyze/truncate.js';
import { isRecordableCallFailure, type Judge } from '../judge/judge.js';
import type { PromptSet } from '../prompts/prompt-set.js';
import type { FailureView } from '../store/run-data.js';
import type { CategoryChoiceItem, Rate } from './validate.js';
import { rateOf } from './validate.js';

/** Longest input, output or reference text shown to the validating judge (head and tail kept). */
export const VALIDATION_TEXT_BUDGET = 6000;

export interface CheckOutcome {
  failureId: string;
  /** True when the judge agreed (chose the assigned category / found the analysis accurate). */
  accepted?: boolean;
  reasoning?: string;
  /** Why the judge call failed, when it did; such items are left out of the rate. */
  error?: string;
}

export interface JudgeCheckResult {
  task: 'category_choice' | 'analysis_check';
  judge: string;
  promptVersion: string;
  requested: number;
  failedCalls: number;
  /** Acceptance rate over answered items, with a 95% Wilson interval. */
  acceptance: Rate;
  items: CheckOutcome[];
}

/** The failure as the validation prompts show it; requestFor escapes the texts as data. */
function failureVars(f: FailureView) {
  return {
    input_text: truncateMiddle(f.inputText, VALIDATION_TEXT_BUDGET),
    output_text: truncateMiddle(f.outputText, VALIDATION_TEXT_BUDGET),
    reference: f.correctAnswer ? truncateMiddle(f.correctAnswer, VALIDATION_TEXT_BUDGET) : '',
    error_title: f.analysis?.errorTitle ?? '',
    error_summary: f.analysis?.errorSummary ?? '',
    has_error: f.analysis?.hasError ?? true,
  };
}

async function runAll<I>(
  items: readonly I[],
  ask: (item: I) => Promise<Omit<CheckOutcome, 'error'>>,
  id: (item: I) => string,
): Promise<CheckOutcome[]> {
  // The judge queues calls under its own concurrency limit; results keep the sample's order.
  return Promise.all(
    items.map(async (item) => {
      try {
        return await ask(item);
      } catch (e) {
        if (isRecordableCallFailure(e)) return { failureId: id(item), error: e.reason };
        throw e;
      }
    }),
  );
}

function summarise(task: JudgeCheckResult['task'], judge: Judge, prompts: PromptSet, items: CheckOutcome[]): JudgeCheckResult {
  const answered = items.filter((i) => i.accepted !== undefined);
  return {
    task,
    judge: judge.id,
    promptVersion: prompts.versions[task] ?? '',
    requested: items.length,
    failedCalls: items.length - answered.length,
    acceptance: rateOf(answered.filter((i) => i.accepted).length, answered.length),
    items,
  };
}

/**
 * Forced choice: the judge sees the failure and two categories of the same depth (the assigned leaf and a
 * random other) and picks the better fit. Acceptance = share choosing the assigned one; chance is 50%.
 */
export async function runCategoryChoice(judge: Judge, prompts: PromptSet, plan: readonly CategoryChoiceItem[]): Promise<JudgeCheckResult> {
  const items = await runAll(
    plan,
    async (item) => {
      const [a, b] = item.assignedLetter === 'A' ? [item.assigned, item.alternative] : [item.alternative, item.assigned];
      const [parentA, parentB] =
        item.assignedLetter === 'A' ? [item.assignedParent, item.alternativeParent] : [item.alternativeParent, item.assignedParent];
      const request = prompts.requestFor('category_choice', {
        ...failureVars(item.failure),
        option_a_name: a.name,
        option_a_description: a.description,
        option_a_parent: parentA ?? '',
        option_b_name: b.name,
        option_b_description: b.description,
        option_b_parent: parentB ?? '',
      });
      const { value } = await judge.call(request);
      return { failureId: item.failure.id, accepted: value.choice === item.assignedLetter, reasoning: value.reasoning };
    },
    (item) => item.failure.id,
  );
  return summarise('category_choice', judge, prompts, items);
}

/** The judge reads input, output, reference and the analysis, and says whether the analysis is accurate. */
export async function runAnalysisCheck(judge: Judge, prompts: PromptSet, failures: readonly FailureView[]): Promise<JudgeCheckResult> {
  const items = await runAll(
    failures,
    async (f) => {
      const { value } = await judge.call(prompts.requestFor('analysis_check', failureVars(f)));
      return { failureId: f.id, accepted: value.accurate, reasoning: value.reasoning };
    },
    (f) => f.id,
  );
  return summarise('analysis_check', judge, prompts, items);
}
