import { describe, expect, it } from 'vitest';
import { UsageMeter } from './usage-meter.js';

describe('UsageMeter', () => {
  it('keeps usage per task, sums a total and tells listeners until they unsubscribe', () => {
    const meter = new UsageMeter();
    let changes = 0;
    const stop = meter.onChange(() => changes++);
    meter.requestSent('error_analysis');
    meter.tokensUsed('error_analysis', { inputTokens: 100, outputTokens: 20 }, 0.5);
    meter.cacheHit('taxonomy_generation');
    stop();
    meter.callFailed('error_analysis');
    expect(changes).toBe(3);
    expect(meter.snapshot()).toEqual({
      error_analysis: {
        calls: 1,
        retries: 0,
        cachedCalls: 0,
        failedCalls: 1,
        inputTokens: 100,
        outputTokens: 20,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.5,
      },
      taxonomy_generation: {
        calls: 0,
        retries: 0,
        cachedCalls: 1,
        failedCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      },
    });
    expect(meter.total()).toMatchObject({ calls: 1, cachedCalls: 1, failedCalls: 1, inputTokens: 100 });
  });

  it('counts prompt tokens read from and written to the provider cache', () => {
    const meter = new UsageMeter();
    meter.tokensUsed('error_analysis', { inputTokens: 2000, outputTokens: 10, cachedInputTokens: 1500 }, 0.1);
    meter.tokensUsed('error_analysis', { inputTokens: 2000, outputTokens: 10, cacheWriteTokens: 1800 }, 0.2);
    expect(meter.snapshot().error_analysis).toMatchObject({ inputTokens: 4000, cachedInputTokens: 1500, cacheWriteTokens: 1800 });
    expect(meter.total()).toMatchObject({ cachedInputTokens: 1500, cacheWriteTokens: 1800 });
  });

  it('returns copies, so a snapshot does not move with later calls', () => {
    const meter = new UsageMeter();
    meter.requestSent('error_analysis');
    const before = meter.snapshot();
    meter.requestSent('error_analysis');
    expect(before.error_analysis.calls).toBe(1);
    expect(meter.snapshot().error_analysis.calls).toBe(2);
  });
});
