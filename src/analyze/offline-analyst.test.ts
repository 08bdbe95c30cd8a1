import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, prediction, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { detectFailure } from '../detect/run-detectors.js';
import { errorAnalysisSchema } from '../prompts/response-schemas.js';
import { categoryDescriptions, offlineAnalysis, UNEXPLAINED_CATEGORY } from './offline-analyst.js';

describe('offlineAnalysis', () => {
  it('files a cut-off output under its family and detector, with criteria a judge would give', () => {
    const ctx = context({ inputText: MMLU_INPUT, outputText: 'The number of moles is 0.5. Plugging these values into' });
    const analysis = offlineAnalysis(ctx.failure, detectFailure(ctx));
    expect(analysis).toMatchObject({ source: 'detector', judge: 'offline', hasError: true, detector: 'cut_off' });
    expect(analysis.fixedPath).toEqual(['No usable answer', 'Output cut off']);
    const answerCriterion = analysis.criteria.find((c) => c.criterion === 'Gives a final answer in the requested format');
    expect(answerCriterion).toMatchObject({ present: false, quality: 'incorrect' });
    // The stored analysis keeps the judge's shape, so the report and viewer read it the same way.
    expect(
      errorAnalysisSchema.safeParse({
        criteria: analysis.criteria,
        has_error: analysis.hasError,
        error_title: analysis.errorTitle,
        error_summary: analysis.errorSummary,
      }).success,
    ).toBe(true);
  });

  it('files by verified detectors only; an unverified finding stays as evidence with its precision', () => {
    const ctx = context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is True.', correctAnswer: 'True' });
    const findings = detectFailure(ctx);
    const match = findings.find((f) => f.detector === 'matches_reference');
    expect(match?.verified).toBe(false);
    const analysis = offlineAnalysis(ctx.failure, findings);
    expect(analysis.fixedPath).toEqual([UNEXPLAINED_CATEGORY]);
    expect(analysis.criteria.some((c) => c.comment.includes('unverified: held-out precision'))).toBe(true);
  });

  it('shows the measured precision with each finding it files', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: 'Solution: Choice_F' });
    const analysis = offlineAnalysis(ctx.failure, detectFailure(ctx));
    expect(analysis.detector).toBe('wrong_choice');
    expect(analysis.criteria[0].comment).toMatch(/held-out precision 0\.\d\d \[0\.\d\d, \d\.\d\d\] over \d+ firings/);
  });

  it('says when no detector explains the failure', () => {
    const ctx = context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 13.56.', correctAnswer: '560' });
    const analysis = offlineAnalysis(ctx.failure, detectFailure(ctx));
    expect(analysis.fixedPath).toEqual([UNEXPLAINED_CATEGORY]);
    expect(analysis.errorSummary).toContain('no deterministic detector explains');
  });

  it('does not file a failure by its example being hard, but keeps that as evidence', () => {
    const others = ['model-b', 'model-c', 'model-d', 'model-e'].map((model) =>
      prediction({ model, inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 7.', correctAnswer: '560' }),
    );
    const ctx = context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 13.56.', correctAnswer: '560' });
    ctx.sameExample = [ctx.failure, ...others];
    const findings = detectFailure(ctx);
    expect(findings.map((f) => f.detector)).toContain('hard_example');
    const analysis = offlineAnalysis(ctx.failure, findings);
    expect(analysis.fixedPath).toEqual([UNEXPLAINED_CATEGORY]);
    expect(analysis.criteria.some((c) => /models/.test(c.comment))).toBe(true);
  });

  it('describes every category an offline path can name', () => {
    const descriptions = categoryDescriptions();
    const ctxs = [
      context({ outputText: '' }),
      context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: 'The answer is (F).' }),
      context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 0.3.', correctAnswer: '-0.3' }),
    ];
    const paths = ctxs.map((ctx) => offlineAnalysis(ctx.failure, detectFailure(ctx)).fixedPath ?? []);
    expect(paths).toEqual([['No usable answer', 'Empty output'], ['Wrong choice', 'Picked a wrong option'], [UNEXPLAINED_CATEGORY]]);
    // each a sentence a reader can use, not an empty or missing entry
    for (const name of paths.flat()) expect(descriptions[name], name).toMatch(/^[A-Z].{20,}\.$/);
  });
});
