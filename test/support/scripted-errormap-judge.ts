import { type JudgeServer, type ScriptedReply, type ScriptedRequest, type ServerCallEvent, startJudgeServer } from './judge-server.js';
import { scriptedAnalysisAnswer } from './scripted-analysis-answers.js';
import { scriptedTaxonomyAnswer } from './scripted-taxonomy-answers.js';

export interface ScriptedErrormapJudgeOptions {
  /** Return a reply to override the default answer of a request (errors, broken answers, delays). */
  override?: (req: ScriptedRequest) => ScriptedReply | undefined;
  /** Delay of every answer, to give a test time to kill a run mid-analysis. */
  delayMs?: number;
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
      return options.delayMs ? { delayMs: options.delayMs, reply } : reply;
    },
  });
}
