import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ConfigError } from '../errors.js';
import type { JudgeTask } from '../judge/judge.js';
import { tagsOf } from './prompt-data.js';

/** The repo's own prompts/ folder (works from src/ under tsx and from dist/ after build). */
export const BUILTIN_PROMPTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');

export interface RenderedPrompt {
  system: string;
  user: string;
}

export interface PromptTemplate {
  task: JudgeTask;
  /** Short hash of both template texts: recorded in the run record, part of every cache key via the messages. */
  version: string;
  /** Tags the templates use to delimit data (escaped in data by asData). */
  tags: string[];
  render(vars: Record<string, unknown>): RenderedPrompt;
}

const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: true, throwOnUndefined: true });

function readTemplate(task: JudgeTask, part: 'system' | 'user', overrideDir?: string): string {
  const file = `${task}.${part}.njk`;
  if (overrideDir && existsSync(join(overrideDir, file))) return readFileSync(join(overrideDir, file), 'utf8');
  const builtin = join(BUILTIN_PROMPTS_DIR, file);
  if (!existsSync(builtin)) throw new ConfigError(`prompt template ${file} not found in ${BUILTIN_PROMPTS_DIR}`);
  return readFileSync(builtin, 'utf8');
}

/**
 * Loads the system and user templates of a judge task. `overrideDir` (--prompts DIR) replaces any
 * template file it contains; the others come from the built-in prompts/ folder.
 */
export function loadPrompt(task: JudgeTask, overrideDir?: string): PromptTemplate {
  const systemText = readTemplate(task, 'system', overrideDir);
  const userText = readTemplate(task, 'user', overrideDir);
  const system = nunjucks.compile(systemText, env);
  const user = nunjucks.compile(userText, env);
  const version = createHash('sha256').update(systemText).update('\u0000').update(userText).digest('hex').slice(0, 12);
  const trim = (s: string) => s.replace(/\n$/, '');
  return {
    task,
    version,
    tags: tagsOf(systemText, userText),
    render(vars) {
      try {
        return { system: trim(system.render(vars)), user: trim(user.render(vars)) };
      } catch (e) {
        throw new ConfigError(`prompt ${task}: ${(e as Error).message}`);
      }
    },
  };
}
