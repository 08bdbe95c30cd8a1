import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { TaskUsage } from '../contracts/run-record.js';
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

/** Tokens and cost so far, for the progress display. */
export type UsageSource = () => Record<string, TaskUsage>;

function usageText(usage: UsageSource): string {
  let tokens = 0;
  let cost = 0;
  let calls = 0;
  let cached = 0;
  let retries = 0;
  let failed = 0;
  for (const u of Object.values(usage())) {
    tokens += u.inputTokens + u.outputTokens;
    cost += u.costUsd;
    calls += u.calls;
    cached += u.cachedCalls;
    retries += u.retries ?? 0;
    failed += u.failedCalls;
  }
  if (calls === 0 && cached === 0) return '';
  const parts = [`${calls} calls`, `${cached} cached`];
  // Retries and failures show only when they happen: they are what a user watching a slow run needs to see.
  if (retries > 0) parts.push(`${retries} retried`);
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(`${tokens.toLocaleString('en-US')} tokens`);
  if (cost > 0) parts.push(`$${cost.toFixed(4)}`);
  return parts.join(', ');
}

/** Progress on stderr: bars on a terminal, plain lines in logs, JSON events for scripts, or nothing. */
export function createProgressDisplay(
  mode: ProgressMode,
  usage: UsageSource,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const write = (s: string) => stream.write(s);
  if (mode === 'json') {
    const event = (e: Record<string, unknown>) => write(`${JSON.stringify({ ...e, time: new Date().toISOString() })}\n`);
    return {
      stage(name, initialTotal) {
        let total = initialTotal;
        let done = 0;
        let lastEvent = 0;
        event({ event: 'stage', stage: name, total });
        return {
          // At most one progress event a second, so a long analysis is visible without flooding the log.
          tick(n = 1) {
            done += n;
            if (Date.now() - lastEvent < 1000) return;
            lastEvent = Date.now();
            event({ event: 'progress', stage: name, done, total, usage: usage() });
          },
          setTotal(newTotal) {
            total = newTotal;
          },
          done: (note) => event({ event: 'stage_done', stage: name, done, total, note, usage: usage() }),
        };
      },
      info: (message) => event({ event: 'info', message }),
      warn: (message) => event({ event: 'warning', message }),
    };
  }
  if (mode === 'quiet') {
    return { stage: () => ({ tick() {}, done() {} }), info() {}, warn: (m) => write(`${pc.yellow('warning')} ${m}\n`) };
  }
  if (mode === 'lines') {
    return {
      stage(name, initialTotal): StageProgress {
        let total = initialTotal;
        let done = 0;
        let nextReport = 0.1;
        if (total > 0) write(`${name}: 0/${total}\n`);
        return {
          tick(n = 1) {
            done += n;
            if (total > 0 && done / total >= nextReport && done < total) {
              const spent = usageText(usage);
              write(`${name}: ${done}/${total}${spent ? ` (${spent})` : ''}\n`);
              while (done / total >= nextReport) nextReport += 0.1;
            }
          },
          setTotal(newTotal) {
            total = newTotal;
          },
          done(note) {
            write(`${name}: done${total > 0 ? ` ${done}/${total}` : ''}${note ? ` — ${note}` : ''}\n`);
          },
        };
      },
      info: (m) => write(`${m}\n`),
      warn: (m) => write(`warning: ${m}\n`),
    };
  }
  return {
    stage(name, total): StageProgress {
      if (total === 0) return { tick() {}, done: (note) => write(`${pc.green('✓')} ${name}${note ? ` — ${note}` : ''}\n`) };
      const bar = new cliProgress.SingleBar(
        { format: `${name.padEnd(9)} {bar} {value}/{total} | ETA {eta_formatted} | {usage}`, stream, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { usage: usageText(usage) });
      let done = 0;
      return {
        tick(n = 1) {
          done += n;
          bar.update(done, { usage: usageText(usage) });
        },
        setTotal(newTotal) {
          bar.setTotal(newTotal);
        },
        done(note) {
          bar.update(done, { usage: usageText(usage) });
          bar.stop();
          if (note) write(`  ${note}\n`);
        },
      };
    },
    info: (m) => write(`${m}\n`),
    warn: (m) => write(`${pc.yellow('warning')} ${m}\n`),
  };
}
