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

  it('records the cost of a task as unknown, not $0, once a billed request had no price, and so the total', () => {
    const meter = new UsageMeter();
    meter.tokensUsed('error_analysis', { inputTokens: 100, outputTokens: 10 }, 0.25);
    meter.tokensUsed('taxonomy_review', { inputTokens: 100, outputTokens: 10 }, undefined);
    meter.cacheHit('taxonomy_generation');
    const usage = meter.snapshot();
    expect([usage.error_analysis.costUsd, usage.taxonomy_review.costUsd, usage.taxonomy_generation.costUsd]).toEqual([0.25, undefined, 0]);
    expect(meter.total().costUsd).toBeUndefined();
    expect(JSON.parse(JSON.stringify(usage)).taxonomy_review).not.toHaveProperty('costUsd');
  });

  it('counts requests awaiting an answer apart from calls started, so a call in flight is not done', async () => {
    const meter = new UsageMeter();
    meter.callStarted();
    meter.callStarted();
    meter.requestSent('error_analysis');
    let answer: (value: string) => void = () => {};
    const reply = meter.awaitingAnswer(new Promise<string>((resolve) => (answer = resolve)));
    expect(meter.progress()).toEqual({ started: 2, finished: 0, inFlight: 2, awaitingAnswer: 1 });
    answer('ok');
    expect(await reply).toBe('ok');
    meter.callFinished();
    expect(meter.progress()).toEqual({ started: 2, finished: 1, inFlight: 1, awaitingAnswer: 0 });
    // A request that fails settles too.
    await expect(meter.awaitingAnswer(Promise.reject(new Error('HTTP 500')))).rejects.toThrow('HTTP 500');
    expect(meter.progress().awaitingAnswer).toBe(0);
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
