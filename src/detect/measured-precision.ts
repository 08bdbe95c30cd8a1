// Written by `npm run bench:detectors -- --write` from the held-out label split; do not edit by hand.
import type { MeasuredPrecision } from './detector-calibration.js';

export const measuredPrecision: Record<string, MeasuredPrecision> = {
  empty_output: { firings: 0, precision: null, low: 0, high: 1, recall: null, positives: 0 },
  refusal: { firings: 21, precision: 1, low: 0.845, high: 1, recall: 0.913, positives: 23 },
  cut_off: { firings: 71, precision: 1, low: 0.949, high: 1, recall: 0.835, positives: 85 },
  repetition_loop: { firings: 6, precision: 0.833, low: 0.436, high: 0.97, recall: 1, positives: 5 },
  no_final_answer: { firings: 77, precision: 0.909, low: 0.824, high: 0.955, recall: 0.946, positives: 74 },
  answer_format_mismatch: { firings: 47, precision: 0.957, low: 0.858, high: 0.988, recall: 0.978, positives: 46 },
  wrong_choice: { firings: 68, precision: 0.956, low: 0.878, high: 0.985, recall: 1, positives: 65 },
  sign_error: { firings: 15, precision: 1, low: 0.796, high: 1, recall: 1, positives: 15 },
  power_of_ten: { firings: 10, precision: 0.9, low: 0.596, high: 0.982, recall: 1, positives: 9 },
  rounding: { firings: 4, precision: 1, low: 0.51, high: 1, recall: 0.8, positives: 5 },
  near_miss: { firings: 9, precision: 0.778, low: 0.453, high: 0.937, recall: 1, positives: 7 },
  much_shorter_than_references: { firings: 0, precision: null, low: 0, high: 1, recall: 0, positives: 6 },
  matches_reference: { firings: 18, precision: 1, low: 0.824, high: 1, recall: 0.857, positives: 21 },
};
