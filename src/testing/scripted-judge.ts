import type { Judge, JudgeRequest, JudgeResult, JudgeTask } from '../judge/judge.js';
import { JudgeCallError } from '../judge/judge.js';

export interface RecordedRequest {
  task: JudgeTask;
  system: string;
  user: string;
}

/**
 * An in-process Judge that answers from a function, for unit tests of stages and for library users'
 * own tests. Answers are validated against the request's schema like a real judge's.
 * (Pipeline tests use the scripted HTTP server in test/support instead, to exercise the real path.)
 */
export function createScriptedJudge(
  answer: (request: RecordedRequest) => unknown,
  id = 'scripted:judge',
): Judge & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  return {
    id,
    requests,
    async call<T>(request: JudgeRequest<T>): Promise<JudgeResult<T>> {
      const recorded = { task: request.task, system: request.system, user: request.user };
      requests.push(recorded);
      const raw = answer(recorded);
      const parsed = request.schema.safeParse(raw);
      if (!parsed.success) throw new JudgeCallError({ task: request.task, reason: `invalid answer: ${parsed.error.message}` });
      return {
        value: parsed.data,
        usage: { inputTokens: request.system.length + request.user.length, outputTokens: JSON.stringify(raw).length },
        cached: false,
      };
    },
  };
}
