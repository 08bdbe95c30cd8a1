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
let cache = new SimulatedPromptCache();

const server = await startScriptedErrormapJudge({
  delayMs: latencyMs,
  recordRequests: false,
  observe: (event) => trace.record(event),
  cachedTokens: (req) => {
    const cached = cache.lookup(`${req.system}\n${req.user}`);
    trace.promptTokens(req.task, Math.ceil((req.system.length + req.user.length) / 4), cached);
    return cached;
  },
});

process.on('message', (message) => {
  if (message === 'reset') {
    trace = new CallTrace();
    cache = new SimulatedPromptCache();
    process.send?.({ reset: true });
  } else if (message === 'stats') {
    process.send?.({ stats: trace.stats() });
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ baseUrl: server.baseUrl });
