import { describe, expect, it } from 'vitest';
import { truncateMiddle } from './truncate.js';

describe('truncateMiddle', () => {
  it('leaves short texts alone', () => {
    expect(truncateMiddle('short answer', 100)).toBe('short answer');
  });

  it('keeps head and tail of a long text with a visible marker', () => {
    const text = `BEGIN ${'x'.repeat(10_000)} the answer is (C)`;
    const cut = truncateMiddle(text, 1000);
    expect(cut.startsWith('BEGIN')).toBe(true);
    expect(cut.endsWith('the answer is (C)')).toBe(true);
    expect(cut).toMatch(/\[… 9,0\d\d characters cut by errormap …\]/);
    expect(cut.length).toBeLessThan(1100);
  });
});
