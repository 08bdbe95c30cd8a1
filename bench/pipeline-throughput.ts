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
 *   first call     from process start to the judge's first request (the fail-fast probe), and from the end of
 *                  reading the input to the first analysis request
 *   cached share   analysis prompt tokens a provider's automatic prefix cache would bill as cached
 *                  (simulated the OpenAI way: ≥ 1,024 tokens, 128-token steps; bench/support/simulated-prompt-cache.ts)
 *   shared prefix  analysis prompt tokens in a prefix an earlier request sent, at any length (16-token
 *                  blocks, as vLLM's prefix cache reuses them): the bound that sharing sets
 * The scripted judge proves plumbing only: no figure here says anything about analysis quality.
 *
 *   npm run bench -- [--only mmlu|shared-200|shared|synthetic] [--concurrency 32] [--data ../shared/data] [--synthetic-examples 25000] [--keep DIR] [--cpu-prof DIR] [--repeat N] [--vs OTHER_CHECKOUT/bin/errormap.js]
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunRecord } from '../src/contracts/run-record.js';
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
async function runErrormap(s: Scenario, errormapBin: string, baseUrl: string, out: string, concurrency: number, cpuProfDir?: string) {
  const reportFile = `${out}.process.json`;
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
      '--import',
      join(ROOT, 'bench/support/exit-report.mjs'),
      errormapBin,
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

interface Figures {
  analysed: number;
  analysisCalls: number;
  otherCalls: number;
  wallMs: number;
  idealMs: number;
  occupancy: number;
  cpuMsPerFailure: number;
  peakRssMb: number;
  firstCallAfterStartMs?: number;
  firstCallAfterReadMs?: number;
  cachedShare?: number;
  sharedShare?: number;
}

async function measure(s: Scenario, bin: string, out: string, concurrency: number, cpuProfDir?: string): Promise<Figures> {
  const judge = await startJudgeProcess(s.latencyMs);
  try {
    const run = await runErrormap(s, bin, judge.baseUrl, out, concurrency, cpuProfDir);
    const trace = await judge.stats();
    const analysisCalls = trace.callsByTask.error_analysis ?? 0;
    const analysed = run.record.counts.analysed;
    return {
      analysed,
      analysisCalls,
      otherCalls: Object.values(trace.callsByTask).reduce((a, b) => a + b, 0) - analysisCalls,
      wallMs: run.finishedAt - run.report.startedAt,
      idealMs: (analysisCalls / concurrency) * s.latencyMs + trace.taxonomyBusyMs,
      occupancy: trace.analysisMeanInFlight / concurrency,
      cpuMsPerFailure: run.report.cpuMs / analysed,
      peakRssMb: run.report.maxRssBytes / 1e6,
      firstCallAfterStartMs: trace.firstCallAt === undefined ? undefined : trace.firstCallAt - run.report.startedAt,
      firstCallAfterReadMs:
        trace.firstAnalysisCallAt === undefined || !run.readDoneAt ? undefined : trace.firstAnalysisCallAt - run.readDoneAt,
      cachedShare: trace.analysisPromptTokens ? trace.analysisCachedTokens / trace.analysisPromptTokens : undefined,
      sharedShare: trace.analysisPromptTokens ? trace.analysisSharedTokens / trace.analysisPromptTokens : undefined,
    };
  } finally {
    await judge.close();
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Medians of repeated runs, with the min–max range when there was more than one. */
function row(label: string, s: Scenario, runs: Figures[]): Record<string, string> {
  const pick = (f: (r: Figures) => number | undefined, digits: number, scale = 1, suffix = '') => {
    const xs = runs
      .map(f)
      .filter((x): x is number => x !== undefined)
      .map((x) => x * scale);
    if (xs.length === 0) return '—';
    const m = `${median(xs).toFixed(digits)}${suffix}`;
    return xs.length > 1 ? `${m} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})` : m;
  };
  return {
    scenario: `${s.name} (ratio ${s.ratio}, ${s.latencyMs} ms)${label}`,
    analysed: String(runs[0].analysed),
    calls: `${runs[0].analysisCalls} + ${runs[0].otherCalls}`,
    'wall s': pick((r) => r.wallMs, 2, 1 / 1000),
    'wall/ideal': s.latencyMs > 0 ? pick((r) => r.wallMs / r.idealMs, 2) : '—',
    occupancy: pick((r) => r.occupancy, 1, 100, '%'),
    'CPU ms/failure': pick((r) => r.cpuMsPerFailure, 2),
    'peak RSS MB': pick((r) => r.peakRssMb, 0),
    'first call s after start': pick((r) => r.firstCallAfterStartMs, 2, 1 / 1000),
    'first analysis call s after read': pick((r) => r.firstCallAfterReadMs, 2, 1 / 1000),
    'cached share': pick((r) => r.cachedShare, 1, 100, '%'),
    'shared prefix': pick((r) => r.sharedShare, 1, 100, '%'),
  };
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
  // Another build of errormap (a baseline checkout), run in turn with this one, for before/after figures on the same machine state.
  const vs = flag(argv, '--vs', '');
  const builds = [{ label: '', bin: join(ROOT, 'bin/errormap.js') }, ...(vs ? [{ label: ' [vs]', bin: resolve(vs) }] : [])];
  const repeat = Number(flag(argv, '--repeat', '1'));
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'errormap-bench-'));
  mkdirSync(dir, { recursive: true });
  const syntheticExamples = Number(flag(argv, '--synthetic-examples', '25000'));
  const scenarios: Scenario[] = [
    { name: 'mmlu', data: join(shared, 'mmlu_pro'), ratio: 0.3, latencyMs: 200 },
    // Thousands of calls at a provider-like latency: occupancy once start-up and reading no longer dominate.
    { name: 'shared-200', data: shared, ratio: 1, latencyMs: 200 },
    { name: 'shared', data: shared, ratio: 1, latencyMs: 0 },
    { name: 'synthetic', data: join(dir, 'synthetic.csv'), ratio: 1, latencyMs: 0 },
  ].filter((s) => !only || only.split(',').includes(s.name));
  const rows: Record<string, string>[] = [];
  try {
    for (const s of scenarios) {
      if (s.name === 'synthetic') await writeSyntheticResults(s.data, syntheticExamples);
      const runs = builds.map(() => [] as Figures[]);
      for (let i = 0; i < repeat; i++) {
        for (const [b, build] of builds.entries()) {
          // A fresh run directory each time: a reused one would answer every call from its cache.
          const out = join(dir, `${s.name}-${b}-${i}`);
          runs[b].push(await measure(s, build.bin, out, concurrency, cpuProf ? resolve(cpuProf) : undefined));
          console.error(`done: ${s.name}${build.label} #${i + 1}`);
        }
      }
      for (const [b, build] of builds.entries()) rows.push(row(build.label, s, runs[b]));
    }
    console.log(
      `concurrency ${concurrency}; median of ${repeat} run(s) (min–max); scripted judge in its own process (plumbing and overhead only, never quality)`,
    );
    printTable(rows);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
