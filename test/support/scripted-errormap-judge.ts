import { type JudgeServer, type ScriptedReply, type ScriptedRequest, startJudgeServer } from './judge-server.js';
import { scriptedAnalysisAnswer } from './scripted-analysis-answers.js';
import { scriptedTaxonomyAnswer } from './scripted-taxonomy-answers.js';

export interface ScriptedErrormapJudgeOptions {
  /** Return a reply to override the default answer of a request (errors, broken answers, delays). */
  override?: (req: ScriptedRequest) => ScriptedReply | undefined;
  /** Delay of every answer, to give a test time to kill a run mid-analysis. */
  delayMs?: number;
}

/** The scripted OpenAI-compatible judge server, answering every errormap task deterministically. */
export function startScriptedErrormapJudge(options: ScriptedErrormapJudgeOptions = {}): Promise<JudgeServer> {
  return startJudgeServer({
    respond(req) {
      const overridden = options.override?.(req);
      if (overridden) return overridden;
      if (req.task === 'judge_probe') return { json: { ok: true } };
      const json = req.task === 'error_analysis' ? scriptedAnalysisAnswer(req.user) : scriptedTaxonomyAnswer(req);
      return options.delayMs ? { delayMs: options.delayMs, then: { json } } : { json };
    },
  });
}
