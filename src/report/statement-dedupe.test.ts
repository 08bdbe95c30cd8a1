import { describe, expect, it } from 'vitest';
import { dedupeStatements, sameStatement } from './statement-dedupe.js';

describe('dedupeStatements', () => {
  it('shows a sentence said as summary, criterion comment and finding once, as the summary', () => {
    const sentence = 'The output stops before stating a final answer.';
    const shown = dedupeStatements(
      sentence,
      ['Restates the problem correctly.', 'the output stops before stating a final answer'],
      [`${sentence}  `],
    );
    expect(shown.comments).toEqual(['Restates the problem correctly.', null]);
    expect(shown.findings).toEqual([null]);
  });

  it('keeps different statements and short ones that merely occur inside longer ones', () => {
    const shown = dedupeStatements(
      'Correct method, wrong arithmetic in step 3.',
      ['Correct.', 'Correct.'],
      ['The final number is within 5% of the reference.'],
    );
    expect(shown.comments).toEqual(['Correct.', null]);
    expect(shown.findings).toEqual(['The final number is within 5% of the reference.']);
  });

  it('treats a long statement repeated inside a longer one as said', () => {
    expect(
      sameStatement(
        'The model chose option B although its reasoning supports D',
        'Here the model chose option B although its reasoning supports D, so it fails.',
      ),
    ).toBe(true);
    expect(sameStatement('Method is appropriate.', 'The method is appropriate for this problem.')).toBe(false);
    expect(sameStatement('', '')).toBe(false);
  });

  it('dedupes comments among themselves when there is no summary', () => {
    expect(dedupeStatements('', ['Same thing said twice here, at length.', 'same thing said twice here, at length'], []).comments).toEqual([
      'Same thing said twice here, at length.',
      null,
    ]);
  });
});
