import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MeasuredPrecision } from './detector-calibration.js';

// The measured table is rewritten by `npm run bench:detectors -- --write` whenever the labels change, so the rules
// are tested on a fixed table with figures on the edges of the bar.
vi.mock('./measured-precision.js', () => {
  const row = (m: Partial<MeasuredPrecision>): MeasuredPrecision => ({
    firings: 40,
    precision: 0.95,
    low: 0.9,
    high: 0.99,
    recall: 0.9,
    positives: 40,
    realFirings: 10,
    realPrecision: 0.9,
    ...m,
  });
  return {
    measuredPrecision: {
      empty_output: row({ firings: 0, precision: null, realFirings: 0, realPrecision: null }),
      at_the_bar: row({ low: 0.85, realPrecision: 0.85, realFirings: 1, firings: 1, precision: 1, high: 1 }),
      below_the_bar: row({ low: 0.849, high: 0.97 }),
      real_outputs_below_the_bar: row({ realPrecision: 0.849, realFirings: 7 }),
      no_real_figure: row({ realPrecision: null, realFirings: 0 }),
      never_fired: row({ firings: 0, precision: 0, low: 0, high: 1 }),
      precision_unknown: row({ firings: 3, precision: null }),
    },
  };
});

// A fresh copy of the calibration, built on the fixed table even where the worker already imported the real one
// (tests share a module cache, isolate: false); the real one is restored for the files run after this.
vi.resetModules();
const { calibrationOf, MIN_LOWER_BOUND } = await import('./detector-calibration.js');
afterAll(() => {
  vi.doUnmock('./measured-precision.js');
  vi.resetModules();
});

describe('calibrationOf', () => {
  it('holds the bar at a precision lower bound of 0.85', () => {
    expect(MIN_LOWER_BOUND).toBe(0.85);
  });

  it.each<[string, boolean, string]>([
    ['empty_output', true, 'a fact (the output has no text)'],
    ['at_the_bar', true, 'held-out precision 1.00 [0.85, 1.00] over 1 firing; 0.85 on 1 real output'],
    ['below_the_bar', false, 'unverified: held-out precision 0.95 [0.85, 0.97] over 40 firings; 0.90 on 10 real outputs'],
    ['real_outputs_below_the_bar', false, 'unverified: held-out precision 0.95 [0.90, 0.99] over 40 firings; 0.85 on 7 real outputs'],
    ['no_real_figure', true, 'held-out precision 0.95 [0.90, 0.99] over 40 firings'],
    ['never_fired', false, 'unverified: no held-out firings measured'],
    ['precision_unknown', false, 'unverified: no held-out firings measured'],
    ['not_in_the_table', false, 'unverified: no held-out firings measured'],
  ])('%s: verified %s, "%s"', (detector, verified, note) => {
    expect(calibrationOf(detector)).toEqual({ verified, note });
  });
});
