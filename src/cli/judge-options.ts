import { type Command, Option } from 'commander';
import { ConfigError } from '../errors.js';
import { SETTING_GROUPS } from '../settings/run-settings.js';

/** The judge flags every command that calls a judge shares. */
export interface JudgeFlags {
  judge?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
}

/** Where the judge comes from: flags, then (unless the command wants an explicit judge) $ERRORMAP_JUDGE. */
export interface ResolvedJudge {
  spec?: string;
  baseUrl?: string;
  /** Secret: used to build the judge, never written anywhere. */
  apiKey?: string;
}

/** Adds --judge, --base-url and --api-key-env; `judgeHelp` says what this command uses the judge for. */
export function addJudgeOptions(command: Command, judgeHelp?: string): Command {
  const fields = SETTING_GROUPS.judge.shape;
  const judge = new Option('--judge <provider:model>', judgeHelp ?? fields.judge.description);
  if (!judgeHelp) judge.defaultValueDescription = '$ERRORMAP_JUDGE or offline';
  return command
    .addOption(judge)
    .addOption(new Option('--base-url <url>', fields.baseUrl.description))
    .addOption(new Option('--api-key-env <name>', 'read the judge key from this environment variable instead of the provider default'));
}

/**
 * The judge named by the flags (or $ERRORMAP_JUDGE when `fromEnv`), and its key. A named key
 * variable that is not set is a configuration error, not a silent fall back to the provider default.
 */
export function resolveJudge(flags: JudgeFlags, env: NodeJS.ProcessEnv, { fromEnv = true } = {}): ResolvedJudge {
  let apiKey: string | undefined;
  if (flags.apiKeyEnv) {
    apiKey = env[flags.apiKeyEnv];
    if (!apiKey) throw new ConfigError(`--api-key-env: the environment variable ${flags.apiKeyEnv} is not set`);
  }
  const spec = flags.judge ?? (fromEnv ? env.ERRORMAP_JUDGE || undefined : undefined);
  return { spec, baseUrl: flags.baseUrl, apiKey };
}
