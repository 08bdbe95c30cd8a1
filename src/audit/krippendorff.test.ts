import { describe, expect, it } from 'vitest';
import { krippendorffAlphaNominal } from './krippendorff.js';

describe("Krippendorff's alpha (nominal)", () => {
  it('reproduces the published example: 4 coders, 12 units, missing values, alpha = 0.743', () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the reliability data with missing
    // values: coders A–D, units 1–12 ('.' = no value).
    const coders = ['1 2 3 3 2 1 4 1 2 . . .', '1 2 3 3 2 2 4 1 2 5 . 3', '. 3 3 3 2 3 4 2 2 5 1 .', '1 2 3 3 2 4 4 1 2 5 1 .'].map((row) =>
      row.split(' '),
    );
    const units = coders[0].map((_, u) => coders.map((c) => c[u]).filter((v) => v !== '.'));
    // By hand: unit 12 has one value and drops out, leaving n = 40 pairable values.
    // Observed: units 2 (2,2,3,2) and 8 (1,1,2,1) each give (16 − 10)/3 = 2; unit 6 (1,2,3,4) gives
    // (16 − 4)/3 = 4; the others agree → D_o = 8/40 = 0.2.
    // Value totals 9, 13, 10, 5, 3 → D_e = (40² − 384) / (40·39) = 1216/1560.
    // alpha = 1 − 0.2 / (1216/1560) = 0.74342.
    const alpha = krippendorffAlphaNominal(units);
    expect(alpha).toBeCloseTo(1 - 0.2 / (1216 / 1560), 12);
    expect(alpha.toFixed(3)).toBe('0.743');
  });

  it('equals 1 for perfect agreement and is NaN without a pair to compare', () => {
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['b', 'b', 'b'],
      ]),
    ).toBe(1);
    expect(krippendorffAlphaNominal([['a'], ['b']])).toBeNaN();
  });

  it('is negative when reviewers disagree more than chance', () => {
    expect(
      krippendorffAlphaNominal([
        ['a', 'b'],
        ['b', 'a'],
        ['a', 'b'],
      ]),
    ).toBeLessThan(0);
  });
});
