import { describe, expect, it } from 'vitest';
import { CallTrace } from './call-trace.js';

describe('CallTrace', () => {
  it('measures mean analysis calls in flight and the time taxonomy calls kept the judge busy', () => {
    const trace = new CallTrace();
    trace.promptTokens('error_analysis', 100, 40, 60);
    trace.promptTokens('taxonomy_generation', 100, 100, 100);
    const call = (task: string, start: number, end: number) => {
      trace.record({ phase: 'start', task, at: start });
      trace.record({ phase: 'end', task, at: end });
    };
    // Two calls overlap for the whole 0–100 ms window, a third only for its second half.
    call('error_analysis', 0, 100);
    call('error_analysis', 0, 100);
    call('error_analysis', 50, 100);
    call('taxonomy_generation', 200, 300);
    call('error_classification', 300, 350);
    call('error_classification', 320, 360);
    const stats = trace.stats();
    expect(stats.analysisWindowMs).toBe(100);
    expect(stats.analysisMeanInFlight).toBeCloseTo(2.5);
    expect(stats.taxonomyBusyMs).toBe(160);
    expect(stats.callsByTask).toEqual({ error_analysis: 3, taxonomy_generation: 1, error_classification: 2 });
    expect(stats.firstCallAt).toBe(0);
    expect(stats).toMatchObject({ analysisPromptTokens: 100, analysisCachedTokens: 40, analysisSharedTokens: 60 });
  });
});
