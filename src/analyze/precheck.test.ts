import { describe, expect, it } from 'vitest';
import { context, MMLU_INPUT, THEOREM_INPUT } from '../../test/support/detector-fixtures.js';
import { detectFailure } from '../detect/run-detectors.js';
import { estimateJudgeTokens, precheckHint, precheckLabel } from './precheck.js';

describe('precheckLabel', () => {
  it('files a sure mechanical failure without a judge', () => {
    const ctx = context({ outputText: '' });
    const analysis = precheckLabel(ctx.failure, detectFailure(ctx));
    expect(analysis).toMatchObject({ source: 'precheck', detector: 'empty_output', fixedPath: ['No usable answer', 'Empty output'] });
  });

  it('never files by an unverified detector', () => {
    const ctx = context({ inputText: MMLU_INPUT, outputText: 'I cannot answer this question with the given information.' });
    const findings = detectFailure(ctx);
    expect(findings.find((f) => f.detector === 'refusal')?.verified).toBe(false);
    expect(precheckLabel(ctx.failure, findings)?.detector).not.toBe('refusal');
  });

  it('leaves reasoning errors to the judge', () => {
    const ctx = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: ' PV = $795.67. The answer is (F).' });
    const findings = detectFailure(ctx);
    expect(findings.map((f) => f.detector)).toContain('wrong_choice');
    expect(precheckLabel(ctx.failure, findings)).toBeUndefined();
  });
});

describe('precheckHint', () => {
  const wrongPick = context({ inputText: MMLU_INPUT, correctAnswer: 'D. $803.88', outputText: ' PV = $795.67. The answer is (F).' });

  it('states what was observed and how reliable the check is, never a category name', () => {
    const findings = detectFailure(wrongPick);
    const hint = precheckHint(findings) ?? '';
    expect(hint).toContain('(F) $795.67');
    expect(hint).toMatch(/held-out precision/);
    for (const f of findings) {
      expect(hint).not.toContain(f.title);
      expect(hint).not.toContain(f.family);
      expect(hint).not.toContain(f.detector);
    }
    expect(precheckHint([])).toBeUndefined();
  });

  it('gives the judge no unverified finding by default, and marks them when asked for all', () => {
    const ctx = context({ inputText: THEOREM_INPUT, outputText: 'Therefore, the answer is 0.3.', correctAnswer: '-0.3' });
    const findings = detectFailure(ctx);
    expect(findings.map((f) => [f.detector, f.verified])).toEqual([['sign_error', false]]);
    expect(precheckHint(findings)).toBeUndefined();
    expect(precheckHint(findings, { unverified: true })).toMatch(
      /^- Unverified check: .*sign is flipped.*\(unverified: held-out precision/,
    );
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
