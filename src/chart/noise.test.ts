import { describe, expect, it } from 'vitest';
import { buildOutcomes, buildTestRun } from '../../test/support/chart-run.js';
import { findNoiseCandidates } from './noise.js';

describe('findNoiseCandidates', () => {
  const models = ['A', 'B', 'C', 'D'];
  const run = buildTestRun({
    taxonomy: [{ id: 'x', name: 'Reasoning' }],
    failures: [
      // e1: all four fail; e2: three of four fail; e3: only A fails, and the judge found no error
      ...models.map((model) => ({ model, exampleId: 'e1', path: ['x'], correctAnswer: '42' })),
      ...['A', 'B', 'C'].map((model) => ({ model, exampleId: 'e2', path: ['x'] })),
      { model: 'A', exampleId: 'e3', path: ['x'], hasError: false, errorTitle: 'Correct answer marked wrong' },
    ],
  });
  const outcomes = buildOutcomes(run, models, ['e1', 'e2', 'e3', 'e4']);

  it('lists examples most models fail, most-failed first, with the evidence', () => {
    const { hardExamples } = findNoiseCandidates(run, outcomes);
    expect(hardExamples.map((e) => [e.exampleId, e.failShare])).toEqual([['e1', 1]]);
    expect(hardExamples[0].reference).toBe('42');
    expect(hardExamples[0].analyses.map((a) => a.model)).toEqual(models);
    const looser = findNoiseCandidates(run, outcomes, { minFailShare: 0.7 }).hardExamples;
    expect(looser.map((e) => [e.exampleId, e.failShare])).toEqual([
      ['e1', 1],
      ['e2', 0.75],
    ]);
  });

  it('takes the reference from the outcomes when no failure of the example was sampled', () => {
    const unsampled = models.map((model) => ({ dataset: 'bench', exampleId: 'e9', model, failed: true, reference: '7' }));
    const hard = findNoiseCandidates(run, [...outcomes, ...unsampled]).hardExamples.find((e) => e.exampleId === 'e9');
    expect(hard).toMatchObject({ reference: '7', analyses: [], failShare: 1 });
  });

  it('lists an example-level finding once, not once per failure of the example', () => {
    const finding = {
      detector: 'hard_example',
      family: 'Possible benchmark noise' as const,
      title: 'Example most models fail',
      summary: 'All models fail it.',
      evidence: 'Scores: A 0, B 0, C 0, D 0',
      mechanical: false,
      confidence: 0.5,
      verified: false,
      precision: 'unverified: no held-out firings measured',
    };
    const withFindings = { ...run, failures: run.failures.map((f) => (f.exampleId === 'e1' ? { ...f, findings: [finding] } : f)) };
    const [e1] = findNoiseCandidates(withFindings, outcomes).hardExamples;
    expect(e1.analyses).toHaveLength(4);
    expect(e1.findings).toEqual([finding]);
  });

  it('needs enough models before calling an example hard', () => {
    expect(findNoiseCandidates(run, outcomes, { minModels: 5 }).hardExamples).toEqual([]);
  });

  it('lists failures whose analysis found no error', () => {
    const { judgedCorrect } = findNoiseCandidates(run, outcomes);
    expect(judgedCorrect.map((f) => [f.exampleId, f.model, f.errorTitle])).toEqual([['e3', 'A', 'Correct answer marked wrong']]);
  });
});
