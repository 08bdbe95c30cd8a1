import { describe, expect, it } from 'vitest';
import { chooseProgressMode, createProgressDisplay } from './progress-display.js';

function fakeStream(isTTY = false) {
  const lines: string[] = [];
  const stream = { isTTY, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => lines.join('') };
}

describe('progress display', () => {
  it('uses bars only on a terminal, and JSON or silence when asked', () => {
    expect(chooseProgressMode({}, fakeStream(true).stream)).toBe('bars');
    expect(chooseProgressMode({}, fakeStream(false).stream)).toBe('lines');
    expect(chooseProgressMode({ json: true }, fakeStream(true).stream)).toBe('json');
    expect(chooseProgressMode({ quiet: true }, fakeStream(true).stream)).toBe('quiet');
  });

  it('prints plain lines every tenth of a stage, with calls and tokens once a judge has been called', () => {
    const { stream, text } = fakeStream();
    let calls = 0;
    const usage = () => ({
      error_analysis: { calls, retries: 0, cachedCalls: 0, failedCalls: 0, inputTokens: calls * 100, outputTokens: 0, costUsd: 0 },
    });
    const stage = createProgressDisplay('lines', usage, stream).stage('analyse', 20);
    stage.tick(2);
    calls = 4;
    stage.tick(2);
    stage.done();
    expect(text()).toContain('analyse: 0/20\n');
    expect(text()).toContain('analyse: 2/20\n');
    expect(text()).toContain('analyse: 4/20 (4 calls, 0 cached, 400 tokens)\n');
    expect(text()).toContain('analyse: done 4/20\n');
  });

  it('shows retried and failed calls once there are any', () => {
    const { stream, text } = fakeStream();
    const usage = () => ({
      error_analysis: { calls: 7, retries: 3, cachedCalls: 1, failedCalls: 2, inputTokens: 700, outputTokens: 0, costUsd: 0 },
    });
    const stage = createProgressDisplay('lines', usage, stream).stage('analyse', 10);
    stage.tick(5);
    expect(text()).toContain('analyse: 5/10 (7 calls, 1 cached, 3 retried, 2 failed, 700 tokens)\n');
  });

  it('emits JSON events: stage, throttled progress, and the stage end with its counts', () => {
    const { stream, text } = fakeStream();
    const stage = createProgressDisplay('json', () => ({}), stream).stage('detect', 3);
    for (let i = 0; i < 3; i++) stage.tick();
    stage.done('ok');
    const events = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ event: 'stage', stage: 'detect', total: 3 });
    expect(events.filter((e) => e.event === 'progress')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ event: 'stage_done', stage: 'detect', done: 3, total: 3, note: 'ok' });
  });
});
