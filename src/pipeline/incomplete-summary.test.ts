import { describe, expect, it } from 'vitest';
import { incompleteSummary } from './incomplete-summary.js';

describe('incompleteSummary', () => {
  it('is undefined when every sampled failure is analysed and placed', () => {
    expect(incompleteSummary(10, [], [])).toBeUndefined();
  });

  it('counts what is missing and groups the reasons, most frequent first', () => {
    const summary = incompleteSummary(
      40,
      [
        { failureId: 'a', reason: 'HTTP 500: boom (after 5 attempts)' },
        { failureId: 'b', reason: 'HTTP 500: boom (after 3 attempts)' },
        { failureId: 'c', reason: 'invalid answer after 3 tries' },
      ],
      [{ failureId: 'd', reason: 'classification at "LLM Errors": call failed (HTTP 500: boom)' }],
    );
    expect(summary).toMatchObject({ unanalysed: 3, unplaced: 1 });
    expect(summary?.reasons[0]).toEqual({ reason: 'HTTP 500: boom', failures: 2 });
    expect(summary?.reasons).toHaveLength(3);
    expect(summary?.summary).toMatch(/4 of 40 sampled failures are missing.*3 could not be analysed.*1 analysed could not be placed/);
    expect(summary?.summary).toMatch(/most frequent reason: HTTP 500: boom \(2\)/);
  });

  it('quotes at most 200 characters of a reason', () => {
    const summary = incompleteSummary(1, [{ failureId: 'a', reason: 'x'.repeat(100_000) }], []);
    expect(summary?.reasons[0].reason.length).toBeLessThan(260);
    expect(summary?.summary.length).toBeLessThan(600);
  });
});
