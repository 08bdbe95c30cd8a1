/**
 * How fast and how frugal is a judge run? Runs the whole pipeline in-process against the scripted
 * OpenAI-compatible judge on 127.0.0.1 (answers instantly, so the figures are errormap's own
 * overhead, not a model's latency), on real benchmark outputs, and prints:
 *   - wall time of a fresh run and of the same run again (everything answered from the cache),
 *   - judge calls per second and errormap's time per analysed failure,
 *   - mean prompt tokens per failure analysis (the scripted server counts ~4 characters a token),
 *   - judge calls saved by --precheck label,
 *   - peak RSS.
 * The scripted judge proves plumbing only: nothing here measures analysis quality.
 *
 *   npx tsx bench/pipeline-throughput.ts [DATA_DIR=../shared/data] [--ratio 1] [--concurrency 32]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageMeter } from '../src/judge/index.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { type PrecheckMode, type RunSettings, resolveSettings } from '../src/settings/run-settings.js';
import { startScriptedErrormapJudge } from '../test/support/scripted-errormap-judge.js';

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
}

async function main(argv: string[]): Promise<void> {
  const data = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? '../shared/data';
  const ratio = Number(flag(argv, '--ratio', '1'));
  const concurrency = Number(flag(argv, '--concurrency', '32'));
  const server = await startScriptedErrormapJudge();
  const dir = mkdtempSync(join(tmpdir(), 'errormap-bench-'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const settings = (out: string, precheck: PrecheckMode): RunSettings =>
    resolveSettings({
      inputs: [data],
      out: join(dir, out),
      judge: 'openai-compatible:scripted-judge',
      baseUrl: server.baseUrl,
      apiKey: 'bench',
      concurrency,
      ratio,
      precheck,
    });
  const timed = async (s: RunSettings) => {
    const meter = new UsageMeter();
    const started = performance.now();
    const result = await runPipeline(s, { meter });
    return { seconds: (performance.now() - started) / 1000, result, usage: meter.snapshot() };
  };
  try {
    const fresh = await timed(settings('hint', 'hint'));
    const again = await timed(settings('hint', 'hint'));
    const labelled = await timed(settings('label', 'label'));
    const analysis = fresh.usage.error_analysis;
    const calls = Object.values(fresh.usage).reduce((n, u) => n + u.calls, 0);
    const c = fresh.result.record.counts;
    console.log(`data: ${data}, ratio ${ratio}, concurrency ${concurrency}`);
    console.log(`predictions ${c.predictions}, failures ${c.failures}, analysed ${c.analysed}, categories ${c.categories}`);
    console.log(
      `fresh run:        ${fresh.seconds.toFixed(2)} s, ${calls} judge calls (${(calls / fresh.seconds).toFixed(0)} calls/s), ${((fresh.seconds * 1000) / c.analysed).toFixed(2)} ms per analysed failure`,
    );
    console.log(
      `same run again:   ${again.seconds.toFixed(2)} s, ${Object.values(again.usage).reduce((n, u) => n + u.calls, 0)} calls sent, ${again.usage.error_analysis?.cachedCalls ?? 0} answered from the cache`,
    );
    console.log(
      `prompt tokens per failure analysis: ${(analysis.inputTokens / analysis.calls).toFixed(0)} (mean, scripted server's ~4 chars/token count)`,
    );
    const saved = labelled.result.record.precheck;
    console.log(
      `--precheck label: ${saved?.filed ?? 0} of ${c.analysed} failures filed without a call (${(((saved?.filed ?? 0) / c.analysed) * 100).toFixed(1)}%), about ${(saved?.estimatedTokensSaved ?? 0).toLocaleString('en-US')} prompt tokens saved; error_analysis calls ${labelled.usage.error_analysis?.calls ?? 0} vs ${analysis.calls}`,
    );
    console.log(`peak RSS: ${(peakRss / 1e6).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
