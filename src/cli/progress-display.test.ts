import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageMeter } from '../judge/index.js';
import { chooseProgressMode, createProgressDisplay, usageText } from './progress-display.js';

function fakeStream(isTTY = false) {
  const lines: string[] = [];
  const stream = { isTTY, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => lines.join('') };
}

/** A meter after `answered` calls answered by the judge, `waiting` sent and not answered, `failed` failed. */
function meterWith({ answered = 0, waiting = 0, failed = 0, cached = 0, retried = 0, price = true } = {}): UsageMeter {
  const meter = new UsageMeter();
  for (let i = 0; i < answered + waiting + failed + cached; i++) meter.callStarted();
  for (let i = 0; i < answered; i++) {
    meter.requestSent('error_analysis');
    meter.tokensUsed('error_analysis', { inputTokens: 100, outputTokens: 10 }, price ? 0.001 : undefined);
    meter.callFinished();
  }
  for (let i = 0; i < cached; i++) {
    meter.cacheHit('error_analysis');
    meter.callFinished();
  }
  for (let i = 0; i < failed; i++) {
    meter.requestSent('error_analysis');
    meter.callFailed('error_analysis');
    meter.callFinished();
  }
  for (let i = 0; i < retried; i++) meter.retried('error_analysis');
  for (let i = 0; i < waiting; i++) {
    meter.requestSent('error_analysis');
    // Never answered within the test.
    void meter.awaitingAnswer(new Promise(() => {}));
  }
  return meter;
}

describe('progress display', () => {
  it('uses bars only on a terminal, and JSON or silence when asked', () => {
    expect(chooseProgressMode({}, fakeStream(true).stream)).toBe('bars');
    expect(chooseProgressMode({}, fakeStream(false).stream)).toBe('lines');
    expect(chooseProgressMode({ json: true }, fakeStream(true).stream)).toBe('json');
    expect(chooseProgressMode({ quiet: true }, fakeStream(true).stream)).toBe('quiet');
  });

  it('shows calls as done, in flight and failed: a call in flight is not done', () => {
    expect(usageText(meterWith({ answered: 4, waiting: 3, failed: 1 }))).toBe('calls: 4 done, 3 in flight, 1 failed, 440 tokens, $0.0040');
    expect(usageText(meterWith({ answered: 2, cached: 5, retried: 2 }))).toBe(
      "calls: 7 done (5 from the run's cache), 0 in flight, 0 failed, 2 retried, 220 tokens, $0.0020",
    );
    expect(usageText(meterWith({ answered: 1, price: false }))).toBe('calls: 1 done, 0 in flight, 0 failed, 110 tokens, price unknown');
    expect(usageText(new UsageMeter())).toBe('');
  });

  it('prints plain lines every tenth of a counted stage, with its unit and the calls once a judge has been called', () => {
    const { stream, text } = fakeStream();
    const stage = createProgressDisplay('lines', meterWith({ answered: 4, waiting: 2 }), stream).stage('analyse', 20, 'failures');
    stage.tick(2);
    stage.tick(2);
    stage.done();
    expect(text()).toBe(
      [
        'analyse: 0/20 failures',
        'analyse: 2/20 failures (calls: 4 done, 2 in flight, 0 failed, 440 tokens, $0.0040)',
        'analyse: 4/20 failures (calls: 4 done, 2 in flight, 0 failed, 440 tokens, $0.0040)',
        'analyse: done 4/20 failures',
        '',
      ].join('\n'),
    );
  });

  it('shows an open-ended stage as its steps and the count done, never as a fraction whose total grows', () => {
    const { stream, text } = fakeStream();
    const stage = createProgressDisplay('lines', new UsageMeter(), stream).stage('taxonomy', undefined, 'calls');
    for (const step of ['level 1: proposing categories', 'level 1: classifying errors', 'level 1: classifying errors']) {
      stage.step?.(step);
      stage.tick();
    }
    stage.done();
    expect(text()).toBe(
      [
        'taxonomy: level 1: proposing categories, 0 calls done so far',
        'taxonomy: level 1: classifying errors, 1 calls done so far',
        'taxonomy: done 3 calls',
        '',
      ].join('\n'),
    );
  });

  it('draws an open-ended stage on a terminal as a spinner with the step, and ends it with a tick', () => {
    const { stream, text } = fakeStream(true);
    const stage = createProgressDisplay('bars', new UsageMeter(), stream).stage('taxonomy', undefined, 'calls');
    stage.step?.('level 2: classifying errors');
    stage.tick(5);
    stage.done();
    const frames = text().split('\r\x1b[2K');
    expect(frames.at(-2)).toMatch(/^taxonomy {2}\S level 2: classifying errors, 5 calls done$/);
    expect(stripVTControlCharacters(frames.at(-1) ?? '')).toBe('✓ taxonomy — 5 calls\n');
  });

  it('emits JSON events: stage, throttled progress, each new step, and the stage end with its counts', () => {
    const { stream, text } = fakeStream();
    const display = createProgressDisplay('json', new UsageMeter(), stream);
    const counted = display.stage('detect', 3);
    for (let i = 0; i < 3; i++) counted.tick();
    counted.done('ok');
    const open = display.stage('taxonomy', undefined, 'calls');
    open.step?.('level 1: proposing categories');
    open.tick();
    open.done();
    const events = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ event: 'stage', stage: 'detect', total: 3 });
    expect(events.filter((e) => e.event === 'progress' && e.stage === 'detect')).toHaveLength(1);
    expect(events.find((e) => e.event === 'stage_done' && e.stage === 'detect')).toMatchObject({ done: 3, total: 3, note: 'ok' });
    expect(events.find((e) => e.event === 'progress' && e.stage === 'taxonomy')).toMatchObject({
      step: 'level 1: proposing categories',
      done: 0,
    });
    expect(events.at(-1)).toMatchObject({ event: 'stage_done', stage: 'taxonomy', done: 1 });
  });
});
