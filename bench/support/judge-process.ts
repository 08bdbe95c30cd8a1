/**
 * The scripted judge in its own process, so its work is not counted as errormap's. Started by
 * bench/pipeline-throughput.ts with fork(); answers every call after `--latency MS`, reports cached
 * prompt tokens from a simulated provider cache, and keeps a trace of calls in flight. IPC messages:
 * 'reset' clears the trace, 'stats' answers with the trace's figures (CallTraceStats).
 */
import { startScriptedErrormapJudge } from '../../test/support/scripted-errormap-judge.js';
import { CallTrace } from './call-trace.js';
import { SimulatedPromptCache } from './simulated-prompt-cache.js';

const latencyMs = Number(process.argv[process.argv.indexOf('--latency') + 1] ?? 0);
let trace = new CallTrace();
// OpenAI's published rule (≥ 1,024 tokens, 128-token steps, usable once the request that wrote it is
// answered), and a server that caches any shared 16-token block from the moment it arrives (vLLM's automatic
// prefix caching at its best): the first is billed, the second bounds what sharing can save.
const newCaches = () => ({ openai: new SimulatedPromptCache(), blocks: new SimulatedPromptCache(0, 16) });
let caches = newCaches();

const server = await startScriptedErrormapJudge({
  delayMs: latencyMs,
  recordRequests: false,
  observe: (event) => trace.record(event),
  cachedTokens: (req) => {
    // OpenAI puts a structured-output schema ahead of the system message, where it is cached and billed with it.
    const schema = req.body?.response_format?.json_schema;
    const prompt = `${schema ? JSON.stringify(schema) : ''}${req.system}\n${req.user}`;
    const { openai, blocks } = caches;
    const cached = openai.lookup(prompt);
    // Billed: the prefix is usable once this request is answered. Shared: the bound, usable from arrival.
    setTimeout(() => openai.remember(prompt), latencyMs);
    const shared = blocks.lookup(prompt);
    blocks.remember(prompt);
    trace.promptTokens(req.task, Math.ceil(prompt.length / 4), cached, shared);
    return cached;
  },
});

process.on('message', (message) => {
  if (message === 'reset') {
    trace = new CallTrace();
    caches = newCaches();
    process.send?.({ reset: true });
  } else if (message === 'stats') {
    process.send?.({ stats: trace.stats() });
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ baseUrl: server.baseUrl });
