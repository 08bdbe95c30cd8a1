import { ErrormapError } from '../errors.js';
import type { CreatedJudge } from '../judge/create-judge.js';
import { JudgeCallError } from '../judge/judge.js';
import { loadPromptSet } from '../prompts/prompt-set.js';

export type ProbeOutcome = { ok: true } | { ok: false; warning: string };

/**
 * One cheap call before any work starts. A judge that cannot be used (rejected key, unknown model,
 * unreachable server) throws JUDGE_UNAVAILABLE with what to fix; any other failure (a server that keeps
 * answering 500, an answer that is not JSON) is only a warning, since the real calls may still work.
 */
export async function probeJudge(judge: CreatedJudge): Promise<ProbeOutcome> {
  try {
    // The smallest request through the real judge path: the same provider, key, URL, model and schema mode.
    await judge.call(loadPromptSet(undefined, ['judge_probe']).requestFor('judge_probe', {}));
    return { ok: true };
  } catch (error) {
    if (!JudgeCallError.isInstance(error)) throw error;
    if (error.unavailable) throw explainUnavailable(error, judge);
    return { ok: false, warning: `the judge's test call failed (${error.reason}); going on, failed analyses are reported` };
  }
}

/** The error of an unavailable judge, rewritten to say which key variable, URL or model to check. */
export function explainUnavailable(error: JudgeCallError, judge: Pick<CreatedJudge, 'id' | 'model' | 'access'>): ErrormapError {
  const where = error.url ?? judge.access.baseUrl ?? `the ${error.provider ?? 'provider'} API`;
  const keys = judge.access.keyVariables.join(' or ');
  const keyHint = judge.access.keyGiven
    ? `check the key in ${keys} (or the variable named by --api-key-env)`
    : `no key was sent: set ${keys} (or name the variable with --api-key-env)`;
  let fix: string;
  if (error.status === 401 || error.status === 403) fix = `${where} refused the key: ${keyHint}`;
  else if (error.status === 404)
    fix = `${where} does not know model "${judge.model}" (or the address is wrong): check the model in --judge and --base-url`;
  else fix = `cannot reach ${where}: is the server running, and are the host name, port and --base-url right?`;
  return new ErrormapError('JUDGE_UNAVAILABLE', `judge ${judge.id} is unavailable: ${fix} (${error.reason})`, { cause: error });
}
