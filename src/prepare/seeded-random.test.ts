import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { describe, expect, it } from 'vitest';
import { failureId } from './failure-id.js';
import { compareText, rngFor, seededPick } from './seeded-random.js';

const draws = (rng: ReturnType<typeof rngFor>) => Array.from({ length: 5 }, () => uniformInt(rng, 0, 1_000_000));

describe('rngFor', () => {
  it('gives one stream per seed and key, with key parts kept apart ("ab","c" is not "a","bc")', () => {
    expect(draws(rngFor(1, 'sample', 'm'))).toEqual(draws(rngFor(1, 'sample', 'm')));
    expect(draws(rngFor(1, 'ab', 'c'))).not.toEqual(draws(rngFor(1, 'a', 'bc')));
    expect(draws(rngFor(1, 'x'))).not.toEqual(draws(rngFor(2, 'x')));
  });
});

describe('seededPick', () => {
  const items = ['a', 'b', 'c', 'd', 'e', 'f'];

  it('takes every item once when asked for all or more, and none for 0 or less', () => {
    expect([...seededPick(items, 6, rngFor(3, 'k'))].sort()).toEqual(items);
    expect([...seededPick(items, 10, rngFor(3, 'k'))].sort()).toEqual(items);
    expect(seededPick(items, 0, rngFor(3, 'k'))).toEqual([]);
    expect(seededPick(items, -1, rngFor(3, 'k'))).toEqual([]);
  });

  it('gives a prefix of a larger pick for a smaller count', () => {
    const all = seededPick(items, 6, rngFor(9, 'k'));
    expect(seededPick(items, 3, rngFor(9, 'k'))).toEqual(all.slice(0, 3));
  });

  it('leaves the input list as it was', () => {
    const input = [...items];
    seededPick(input, 4, rngFor(1, 'k'));
    expect(input).toEqual(items);
  });
});

describe('compareText', () => {
  it('orders by code point, whatever the locale', () => {
    expect(['b', 'B', 'a', 'é'].sort(compareText)).toEqual(['B', 'a', 'b', 'é']);
    expect(compareText('x', 'x')).toBe(0);
  });
});

describe('failureId', () => {
  it('is "f_" and 12 hex digits of (dataset, example, model), with the parts kept apart', () => {
    const id = failureId({ dataset: 'd', exampleId: 'e1', model: 'm' });
    expect(id).toMatch(/^f_[0-9a-f]{12}$/);
    expect(failureId({ dataset: 'd', exampleId: 'e1', model: 'm' })).toBe(id);
    expect(failureId({ dataset: 'ab', exampleId: 'c', model: 'm' })).not.toBe(failureId({ dataset: 'a', exampleId: 'bc', model: 'm' }));
  });
});
