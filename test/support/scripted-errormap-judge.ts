import { type JudgeServer, type ScriptedReply, type ScriptedRequest, type ServerCallEvent, startJudgeServer } from './judge-server.js';
import { scriptedAnalysisAnswer } from './scripted-analysis-answers.js';
import { scriptedTaxonomyAnswer } from './scripted-taxonomy-answers.js';

export interface ScriptedErrormapJudgeOptions {
  /** Return a reply to override the default answer of a request (errors, broken answers, delays). */
  override?: (req: ScriptedRequest) => ScriptedReply | undefined;
  /** Delay of every answer (or of each, as it arrives), to give a test time to kill or race a run mid-analysis. */
  delayMs?: number | ((req: ScriptedRequest) => number);
  /** Prompt tokens a reply reports as read from a provider's prompt cache (a simulated cache). */
  cachedTokens?: (req: ScriptedRequest) => number;
  observe?: (event: ServerCallEvent) => void;
  recordRequests?: boolean;
}

/** The scripted OpenAI-compatible judge server, answering every errormap task deterministically. */
export function startScriptedErrormapJudge(options: ScriptedErrormapJudgeOptions = {}): Promise<JudgeServer> {
  return startJudgeServer({
    observe: options.observe,
    recordRequests: options.recordRequests,
    respond(req) {
      const overridden = options.override?.(req);
      if (overridden) return overridden;
      if (req.task === 'judge_probe') return { json: { ok: true } };
      const json = req.task === 'error_analysis' ? scriptedAnalysisAnswer(req.user) : scriptedTaxonomyAnswer(req);
      const reply: ScriptedReply = { json, cachedTokens: options.cachedTokens?.(req) };
      const delayMs = typeof options.delayMs === 'function' ? options.delayMs(req) : options.delayMs;
      return delayMs ? { delayMs, reply } : reply;
    },
  });
}
