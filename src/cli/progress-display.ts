import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { TaskUsage } from '../contracts/usage.js';
import type { CallProgress } from '../judge/index.js';
import type { ProgressReporter, StageProgress } from '../pipeline/progress.js';

export type ProgressMode = 'bars' | 'lines' | 'quiet' | 'json';

export function chooseProgressMode(
  options: { quiet?: boolean; json?: boolean },
  stream: NodeJS.WriteStream = process.stderr,
): ProgressMode {
  if (options.json) return 'json';
  if (options.quiet) return 'quiet';
  return stream.isTTY ? 'bars' : 'lines';
}

/** What the display reads from the usage meter: totals so far and the calls under way. */
export interface MeterReadings {
  total(): TaskUsage;
  progress(): CallProgress;
}

/**
 * Judge calls so far: done (answered, cache included), in flight (sent, no answer yet, so not
 * done) and failed; then tokens and cost. Empty before the first call.
 */
export function usageText(meter: MeterReadings): string {
  const t = meter.total();
  const p = meter.progress();
  if (p.started === 0 && t.calls === 0) return '';
  const done = p.finished - t.failedCalls;
  const parts = [
    `calls: ${done} done${t.cachedCalls > 0 ? ` (${t.cachedCalls} from the run's cache)` : ''}, ${p.awaitingAnswer} in flight, ${t.failedCalls} failed`,
  ];
  // Retries show only when they happen: they are what a user watching a slow run needs to see.
  if (t.retries > 0) parts.push(`${t.retries} retried`);
  parts.push(`${(t.inputTokens + t.outputTokens).toLocaleString('en-US')} tokens`);
  if (t.costUsd === undefined) parts.push('price unknown');
  else if (t.costUsd > 0) parts.push(`$${t.costUsd.toFixed(4)}`);
  return parts.join(', ');
}

const withUnit = (n: number, unit: string | undefined) => (unit ? `${n} ${unit}` : String(n));

/** Progress on stderr: bars on a terminal, plain lines in logs, JSON events for scripts, or nothing. */
export function createProgressDisplay(
  mode: ProgressMode,
  meter: MeterReadings,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const write = (s: string) => stream.write(s);
  switch (mode) {
    case 'json':
      return jsonProgress(meter, write);
    case 'quiet':
      return { stage: () => ({ tick() {}, done() {} }), info() {}, warn: (m) => write(`${pc.yellow('warning')} ${m}\n`) };
    case 'lines':
      return {
        stage: (name, total, unit) => lineStage(name, total, unit, meter, write),
        info: (m) => write(`${m}\n`),
        warn: (m) => write(`warning: ${m}\n`),
      };
    default:
      return {
        stage: (name, total, unit) =>
          total === undefined ? spinnerStage(name, unit, meter, stream) : barStage(name, total, unit, meter, stream),
        info: (m) => write(`${m}\n`),
        warn: (m) => write(`${pc.yellow('warning')} ${m}\n`),
      };
  }
}

function jsonProgress(meter: MeterReadings, write: (s: string) => void): ProgressReporter {
  const event = (e: Record<string, unknown>) => write(`${JSON.stringify({ ...e, time: new Date().toISOString() })}\n`);
  const usage = () => ({ ...meter.total(), ...meter.progress() });
  return {
    stage(name, total, unit) {
      let done = 0;
      let step: string | undefined;
      let lastEvent = 0;
      event({ event: 'stage', stage: name, total, unit });
      return {
        // At most one progress event a second (and one per new step), so a long stage is visible without flooding the log.
        tick(n = 1) {
          done += n;
          if (Date.now() - lastEvent < 1000) return;
          lastEvent = Date.now();
          event({ event: 'progress', stage: name, step, done, total, usage: usage() });
        },
        step(name_) {
          if (name_ === step) return;
          step = name_;
          lastEvent = Date.now();
          event({ event: 'progress', stage: name, step, done, total, usage: usage() });
        },
        done: (note) => event({ event: 'stage_done', stage: name, done, total, note, usage: usage() }),
      };
    },
    info: (message) => event({ event: 'info', message }),
    warn: (message) => event({ event: 'warning', message }),
  };
}

/** Plain lines for logs: every tenth of a counted stage, each new step of an open-ended one. */
function lineStage(
  name: string,
  total: number | undefined,
  unit: string | undefined,
  meter: MeterReadings,
  write: (s: string) => void,
): StageProgress {
  let done = 0;
  let nextReport = 0.1;
  let current: string | undefined;
  const spent = () => {
    const text = usageText(meter);
    return text ? ` (${text})` : '';
  };
  if (total) write(`${name}: 0/${withUnit(total, unit)}\n`);
  return {
    tick(n = 1) {
      done += n;
      if (total && done / total >= nextReport && done < total) {
        write(`${name}: ${done}/${withUnit(total, unit)}${spent()}\n`);
        while (done / total >= nextReport) nextReport += 0.1;
      }
    },
    step(step) {
      if (step === current) return;
      current = step;
      write(`${name}: ${step}, ${withUnit(done, unit)} done so far${spent()}\n`);
    },
    done(note) {
      const count = total === undefined ? ` ${withUnit(done, unit)}` : total > 0 ? ` ${done}/${withUnit(total, unit)}` : '';
      write(`${name}: done${count}${note ? ` — ${note}` : ''}\n`);
    },
  };
}

function barStage(name: string, total: number, unit: string | undefined, meter: MeterReadings, stream: NodeJS.WriteStream): StageProgress {
  const write = (s: string) => stream.write(s);
  if (total === 0) return { tick() {}, done: (note) => write(`${pc.green('✓')} ${name}${note ? ` — ${note}` : ''}\n`) };
  const bar = new cliProgress.SingleBar(
    {
      format: `${name.padEnd(9)} {bar} {value}/{total}${unit ? ` ${unit}` : ''} | ETA {eta_formatted} | {usage}`,
      stream,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { usage: usageText(meter) });
  let done = 0;
  return {
    tick(n = 1) {
      done += n;
      bar.update(done, { usage: usageText(meter) });
    },
    done(note) {
      bar.update(done, { usage: usageText(meter) });
      bar.stop();
      if (note) write(`  ${note}\n`);
    },
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** An open-ended stage on a terminal: a spinner, the current step and the units done, redrawn in place. */
function spinnerStage(name: string, unit: string | undefined, meter: MeterReadings, stream: NodeJS.WriteStream): StageProgress {
  let done = 0;
  let step = 'starting';
  let frame = 0;
  const draw = () => {
    const usage = usageText(meter);
    stream.write(
      `\r\x1b[2K${name.padEnd(9)} ${SPINNER[frame % SPINNER.length]} ${step}, ${withUnit(done, unit)} done${usage ? ` | ${usage}` : ''}`,
    );
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, 120);
  timer.unref();
  draw();
  return {
    tick(n = 1) {
      done += n;
      draw();
    },
    step(name_) {
      step = name_;
      draw();
    },
    done(note) {
      clearInterval(timer);
      stream.write(`\r\x1b[2K${pc.green('✓')} ${name} — ${withUnit(done, unit)}${note ? `; ${note}` : ''}\n`);
    },
  };
}
