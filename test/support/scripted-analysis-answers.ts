import { createHash } from 'node:crypto';

/**
 * Deterministic stand-in answers for the error_analysis task, derived from the rendered prompt.
 * They make the pipeline's plumbing testable; they say nothing about analysis quality.
 */
const TITLES = [
  'Misapplied the core formula',
  'Arithmetic slip in an intermediate step',
  'Misread a constraint in the question',
  'Chose a distractor option without checking',
  'Omitted a required part of the answer',
  'Relied on an incorrect fact',
  'Stopped before giving a final answer',
  'Misidentified the key concept',
];

function between(text: string, tag: string): string {
  const start = text.indexOf(`<${tag}>`);
  const end = text.indexOf(`</${tag}>`);
  return start >= 0 && end > start ? text.slice(start + tag.length + 2, end).trim() : '';
}

export function scriptedAnalysisAnswer(user: string): unknown {
  const output = between(user, 'model_output');
  const input = between(user, 'input');
  const digest = createHash('sha256').update(input).update(output).digest();
  const title = TITLES[digest[0] % TITLES.length];
  // About one in sixteen outputs is judged fine: a benchmark-noise candidate.
  const hasError = digest[1] % 16 !== 0;
  return {
    criteria: [
      {
        criterion: 'Answers the question that was asked',
        present: true,
        quality: 'correct',
        evidence: output.slice(0, 40),
        comment: 'Addresses the task.',
      },
      {
        criterion: 'Reaches the correct final answer',
        present: output.length > 0,
        quality: hasError ? 'incorrect' : 'correct',
        evidence: output.slice(-40),
        comment: 'Compared with the reference.',
      },
    ],
    has_error: hasError,
    error_title: hasError ? title : 'Reference answer looks wrong',
    error_summary: hasError ? `${title}, which made the final answer wrong.` : 'The output is defensible; the reference may be wrong.',
  };
}
