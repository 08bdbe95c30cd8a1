import type { JudgeServer, ScriptedRequest } from './judge-server.js';
import { type ScriptedErrormapJudgeOptions, startScriptedErrormapJudge } from './scripted-errormap-judge.js';
import { scriptedCategoryOf } from './scripted-taxonomy-answers.js';

/**
 * Deterministic stand-in answers for the validation tasks of `errormap validate`, read back out of
 * errormap's own rendered prompts. The reasoning names what was chosen, so a test can check that
 * validate maps the letters back to the right categories.
 */

function block(user: string, tag: string): string {
  const m = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(user);
  if (!m) throw new Error(`scripted validation answers: no <${tag}> block in the prompt`);
  return m[1];
}

/** Option names from "A. Name (under Parent): description" lines. */
function options(user: string): { letter: 'A' | 'B'; name: string }[] {
  return block(user, 'categories')
    .split('\n')
    .map((line) => {
      const m = /^([AB])\. (.+?)(?: \(under [^)]*\))?: /.exec(line);
      if (!m) throw new Error(`scripted validation answers: unexpected option line ${line}`);
      return { letter: m[1] as 'A' | 'B', name: m[2] };
    });
}

/** category_choice: the option the scripted classifier would give the title, else option A. */
export function scriptedCategoryChoice(user: string): { reasoning: string; choice: 'A' | 'B' } {
  const title = /^Title: (.*)$/m.exec(block(user, 'error'))?.[1] ?? '';
  const wanted = new Set(([1, 2, 3] as const).map((level) => scriptedCategoryOf(title, level).name.toLowerCase()));
  const offered = options(user);
  const chosen = offered.find((o) => wanted.has(o.name.toLowerCase())) ?? offered[0];
  return { reasoning: `Chose "${chosen.name}".`, choice: chosen.letter };
}

/** analysis_check: accepts analyses that name an error; rejects "no error found" (the output was scored wrong). */
export function scriptedAnalysisCheck(user: string): { reasoning: string; accurate: boolean } {
  const noError = block(user, 'analysis').includes('found no error');
  return noError
    ? { reasoning: 'The output does not match the reference, so it has an error.', accurate: false }
    : { reasoning: 'The title and summary describe the mistake.', accurate: true };
}

/** category_match: equivalent exactly when the two names are the same, case aside. */
export function scriptedCategoryMatch(user: string): { reasoning: string; equivalent: boolean } {
  const name = (tag: string) => /^Name: (.*)$/m.exec(block(user, tag))?.[1]?.trim().toLowerCase() ?? '';
  const equivalent = name('first_category') === name('second_category');
  return { reasoning: equivalent ? 'Same name.' : 'Different names.', equivalent };
}

export function scriptedValidationAnswer(req: ScriptedRequest): unknown | undefined {
  if (req.task === 'category_choice') return scriptedCategoryChoice(req.user);
  if (req.task === 'analysis_check') return scriptedAnalysisCheck(req.user);
  if (req.task === 'category_match') return scriptedCategoryMatch(req.user);
  return undefined;
}

/** The scripted errormap judge, also answering the validation tasks; `override` still comes first. */
export function startScriptedValidationJudge(options: ScriptedErrormapJudgeOptions = {}): Promise<JudgeServer> {
  return startScriptedErrormapJudge({
    ...options,
    override(req) {
      const overridden = options.override?.(req);
      if (overridden) return overridden;
      const json = scriptedValidationAnswer(req);
      return json === undefined ? undefined : { json };
    },
  });
}
