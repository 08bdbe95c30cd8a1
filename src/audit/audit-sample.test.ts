import { describe, expect, it } from 'vitest';
import { allocate, auditSample } from './audit-sample.js';

const failure = (id: string, top: string, analysed = true) => ({
  id,
  path: top ? [top, `${top}-leaf`] : [],
  analysis: analysed ? ({} as never) : undefined,
});

describe('audit sample', () => {
  it('allocates in proportion to category size, at least one per category, exactly the total', () => {
    const q = allocate(
      [
        { key: 'big', size: 80 },
        { key: 'mid', size: 18 },
        { key: 'tiny', size: 2 },
      ],
      10,
    );
    expect(q.get('big')).toBe(8);
    expect(q.get('mid')).toBe(1);
    expect(q.get('tiny')).toBe(1);
    expect([...q.values()].reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('draws the same failures whatever the input order; only analysed, filed failures', () => {
    const failures = [
      ...Array.from({ length: 60 }, (_, i) => failure(`a${i}`, 'A')),
      ...Array.from({ length: 40 }, (_, i) => failure(`b${i}`, 'B')),
      failure('unplaced', ''),
      failure('unanalysed', 'A', false),
    ];
    const one = auditSample(failures, 20, 42).map((f) => f.id);
    const two = auditSample([...failures].reverse(), 20, 42).map((f) => f.id);
    expect(one).toEqual(two);
    expect(one).toHaveLength(20);
    expect(one.filter((id) => id.startsWith('a'))).toHaveLength(12);
    expect(one).not.toContain('unplaced');
    expect(one).not.toContain('unanalysed');
    expect(auditSample(failures, 20, 43).map((f) => f.id)).not.toEqual(one);
  });

  it('a sample larger than the run takes every placed failure', () => {
    const failures = Array.from({ length: 5 }, (_, i) => failure(`x${i}`, i % 2 ? 'A' : 'B'));
    expect(auditSample(failures, 100, 1)).toHaveLength(5);
  });
});
