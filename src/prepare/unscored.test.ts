import { describe, expect, it } from 'vitest';
import { unscoredReasons, unscoredWarning } from './unscored.js';

const count = (model: string, reason: string, predictions: number) => ({ dataset: 'd', model, reason, predictions });

describe('the unscored warning', () => {
  it('sums each reason over models, most frequent first', () => {
    const reasons = unscoredReasons([
      count('a', 'metric "acc" is NaN', 5),
      count('a', 'the sample failed: cancelled', 3),
      count('b', 'metric "acc" is NaN', 4),
    ]);
    expect(reasons).toEqual([
      { reason: 'metric "acc" is NaN', predictions: 9 },
      { reason: 'the sample failed: cancelled', predictions: 3 },
    ]);
    expect(unscoredWarning(reasons)).toBe(
      '12 predictions have no score and are left out of thresholds, failures and rates: 9 metric "acc" is NaN, 3 the sample failed: cancelled',
    );
  });

  it('names five reasons and sums up the rest', () => {
    const reasons = unscoredReasons(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((r, i) => count('m', `reason ${r}`, 10 - i)));
    expect(unscoredWarning(reasons)).toBe(
      '49 predictions have no score and are left out of thresholds, failures and rates: ' +
        '10 reason a, 9 reason b, 8 reason c, 7 reason d, 6 reason e, 9 for other reasons',
    );
  });

  it('speaks of one prediction in the singular, and says nothing when every prediction has a score', () => {
    expect(unscoredWarning(unscoredReasons([count('m', 'the score is null', 1)]))).toBe(
      '1 prediction has no score and is left out of thresholds, failures and rates: 1 the score is null',
    );
    expect(unscoredWarning([])).toBeUndefined();
  });
});
