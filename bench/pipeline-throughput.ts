/**
 * How close does `errormap run` come to the limit the judge sets, and what does it cost in CPU and
 * memory? Runs the built CLI (dist/, so `npm run bench` builds first) against the scripted
 * OpenAI-compatible judge, which runs in a separate process so its own work is not counted, and
 * prints one table:
 *   wall / ideal   ideal = analysis calls ÷ concurrency × latency + the time taxonomy calls kept the
 *                  judge busy (its sequential steps × latency); only meaningful with latency > 0
 *   occupancy      mean analysis calls in flight at the server ÷ the concurrency limit
 *   CPU ms/failure errormap's user+system CPU ÷ analysed failures (whole process)
 *   peak RSS       errormap's maximum resident set
 *   first call     from process start, and from the end of reading the input, to the judge's first request
 *   cached share   analysis prompt tokens a provider's automatic prefix cache would bill as cached
 *                  (simulated the OpenAI way: ≥ 1,024 tokens, 128-token steps; bench/support/simulated-prompt-cache.ts)
 * The scripted judge proves plumbing only: no figure here says anything about analysis quality.
 *
 *   npm run bench -- [--only mmlu|shared|synthetic] [--concurrency 32] [--data ../shared/data] [--synthetic-examples 25000] [--keep DIR] [--cpu-prof DIR]
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunRecord } from '../src/store/run-record.js';
import type { CallTraceStats } from './support/call-trace.js';
import { writeSyntheticResults } from './support/synthetic-results.js';

interface Scenario {
  name: string;
  data: string;
  ratio: number;
  latencyMs: number;
}

interface ProcessReport {
  startedAt: number;
  cpuMs: number;
  maxRssBytes: number;
}

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
}

const ROOT = resolve(import.meta.dirname, '..');

/** The scripted judge in its own process; resolves with its base URL and a way to ask it for its trace. */
async function startJudgeProcess(latencyMs: number) {
  const child = fork(join(ROOT, 'bench/support/judge-process.ts'), ['--latency', String(latencyMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(message: string, key: string) =>
    new Promise<T>((done) => {
      const listen = (m: Record<string, unknown>) => {
        if (key in m) {
          child.off('message', listen);
          done(m[key] as T);
        }
      };
      child.on('message', listen);
      if (message) child.send(message);
    });
  const baseUrl = await ask<string>('', 'baseUrl');
  return {
    baseUrl,
    stats: () => ask<CallTraceStats>('stats', 'stats'),
    close: async () => {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

/** Runs the built CLI once; returns its own CPU/RSS report and when it finished reading the input. */
async function runErrormap(s: Scenario, baseUrl: string, out: string, concurrency: number, cpuProfDir?: string) {
  const reportFile = join(out, '..', `${s.name}.process.json`);
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
      '--import',
      join(ROOT, 'bench/support/exit-report.mjs'),
      join(ROOT, 'bin/errormap.js'),
      'run',
      s.data,
      '--judge',
      'openai-compatible:scripted-judge',
      '--base-url',
      baseUrl,
      '--concurrency',
      String(concurrency),
      '--ratio',
      String(s.ratio),
      '--out',
      out,
      '--json',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ERRORMAP_BENCH_REPORT: reportFile } },
  );
  let readDoneAt: number | undefined;
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as { event?: string; stage?: string; message?: string };
      if (event.event === 'stage_done' && event.stage === 'read') readDoneAt = performance.timeOrigin + performance.now();
    } catch {
      errors.push(line);
    }
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`errormap run exited ${code} on ${s.name}:\n${errors.slice(-20).join('\n')}`);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ProcessReport;
  const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  return { report, record, readDoneAt, finishedAt: performance.timeOrigin + performance.now() };
}

async function measure(s: Scenario, dir: string, concurrency: number, cpuProfDir?: string) {
  const judge = await startJudgeProcess(s.latencyMs);
  try {
    const run = await runErrormap(s, judge.baseUrl, join(dir, s.name), concurrency, cpuProfDir);
    const trace = await judge.stats();
    const analysisCalls = trace.callsByTask.error_analysis ?? 0;
    const idealMs = (analysisCalls / concurrency) * s.latencyMs + trace.taxonomyBusyMs;
    const wallMs = run.finishedAt - run.report.startedAt;
    const analysed = run.record.counts.analysed;
    const seconds = (ms: number) => (ms / 1000).toFixed(2);
    return {
      scenario: `${s.name} (ratio ${s.ratio}, ${s.latencyMs} ms)`,
      analysed: String(analysed),
      calls: `${analysisCalls} + ${Object.values(trace.callsByTask).reduce((a, b) => a + b, 0) - analysisCalls}`,
      wall: seconds(wallMs),
      'wall/ideal': s.latencyMs > 0 ? (wallMs / idealMs).toFixed(2) : '—',
      occupancy: `${((trace.analysisMeanInFlight / concurrency) * 100).toFixed(1)}%`,
      'CPU ms/failure': (run.report.cpuMs / analysed).toFixed(2),
      'peak RSS MB': (run.report.maxRssBytes / 1e6).toFixed(0),
      'first call s (start / after read)':
        trace.firstCallAt === undefined
          ? '—'
          : `${seconds(trace.firstCallAt - run.report.startedAt)} / ${run.readDoneAt ? seconds(trace.firstCallAt - run.readDoneAt) : '?'}`,
      'cached share': trace.analysisPromptTokens ? `${((trace.analysisCachedTokens / trace.analysisPromptTokens) * 100).toFixed(1)}%` : '—',
    };
  } finally {
    await judge.close();
  }
}

function printTable(rows: Record<string, string>[]): void {
  const columns = Object.keys(rows[0]);
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(width(columns[i]))).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${columns.map((c) => '-'.repeat(width(c) + 2)).join('|')}|`);
  for (const r of rows) console.log(line(columns.map((c) => r[c])));
}

async function main(argv: string[]): Promise<void> {
  const concurrency = Number(flag(argv, '--concurrency', '32'));
  // The shared data sits beside the main checkout (../shared) or beside the worktrees' folder (../../shared).
  const nearby = [join(ROOT, '../shared/data'), join(ROOT, '../../shared/data')].find((d) => existsSync(d)) ?? '../shared/data';
  const shared = resolve(flag(argv, '--data', nearby));
  const only = flag(argv, '--only', '');
  const keep = flag(argv, '--keep', '');
  const cpuProf = flag(argv, '--cpu-prof', '');
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'errormap-bench-'));
  mkdirSync(dir, { recursive: true });
  const syntheticExamples = Number(flag(argv, '--synthetic-examples', '25000'));
  const scenarios: Scenario[] = [
    { name: 'mmlu', data: join(shared, 'mmlu_pro'), ratio: 0.3, latencyMs: 200 },
    { name: 'shared', data: shared, ratio: 1, latencyMs: 0 },
    { name: 'synthetic', data: join(dir, 'synthetic.csv'), ratio: 1, latencyMs: 0 },
  ].filter((s) => !only || only.split(',').includes(s.name));
  const rows: Record<string, string>[] = [];
  try {
    for (const s of scenarios) {
      if (s.name === 'synthetic') await writeSyntheticResults(s.data, syntheticExamples);
      rows.push(await measure(s, dir, concurrency, cpuProf ? resolve(cpuProf) : undefined));
      console.error(`done: ${s.name}`);
    }
    console.log(`concurrency ${concurrency}; scripted judge in its own process (plumbing and overhead only, never quality)`);
    printTable(rows);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
