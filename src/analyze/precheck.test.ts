import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT } from '../../test/support/detector-fixtures.js';
import { detectFailure } from '../detect/run-detectors.js';
import { estimateJudgeTokens, precheckHint, precheckLabel } from './precheck.js';

describe('precheckLabel', () => {
  it('files a sure mechanical failure without a judge', () => {
    const ctx = context({ outputText: '' });
    const analysis = precheckLabel(ctx.failure, detectFailure(ctx));
    expect(analysis).toMatchObject({ source: 'precheck', detector: 'empty_output', fixedPath: ['No usable answer', 'Empty output'] });
  });

  it('leaves reasoning errors to the judge', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: ' PV = $795.67. The answer is (F).' });
    const findings = detectFailure(ctx);
    expect(findings.map((f) => f.detector)).toContain('wrong_choice');
    expect(precheckLabel(ctx.failure, findings)).toBeUndefined();
  });
});

describe('precheckHint', () => {
  it('summarises findings as evidence for the judge, and is absent without findings', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: ' PV = $795.67. The answer is (F).' });
    const hint = precheckHint(detectFailure(ctx));
    expect(hint).toContain('Picked a wrong option');
    expect(hint).toContain('(F) $795.67');
    expect(precheckHint([])).toBeUndefined();
  });
});

describe('estimateJudgeTokens', () => {
  it('counts about four characters per token over input, output, reference and references', () => {
    const tokens = estimateJudgeTokens({ inputText: 'a'.repeat(400), outputText: 'b'.repeat(400), correctAnswer: 'c'.repeat(100) }, [
      { outputText: 'd'.repeat(100) },
    ]);
    expect(tokens).toBe(250);
  });
});
