import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type SettingValues, settingValuesSchema } from '../settings/run-settings.js';
import { FLAG_OF } from './setting-options.js';

function firstProblem(error: z.ZodError, describe: (path: PropertyKey[]) => string): string {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return `unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${describe(issue.path)}: ${issue.message}`;
}

/** Checks settings that came from flags, naming the flag in the message. */
export function checkFlagSettings(values: Record<string, unknown>): SettingValues {
  const parsed = settingValuesSchema.safeParse(values);
  if (parsed.success) return parsed.data as SettingValues;
  throw new ConfigError(firstProblem(parsed.error, (path) => FLAG_OF[String(path[0])] ?? String(path[0])));
}

/** Reads and checks the --config file; the message names the file and the field. */
export function readConfigFile(path: string | undefined): SettingValues {
  if (!path) return {};
  if (!existsSync(path)) throw new ConfigError(`--config: ${path} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`--config: ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new ConfigError(`--config: ${path} must hold a JSON object of settings`);
  const parsed = settingValuesSchema.safeParse(json);
  if (parsed.success) return parsed.data as SettingValues;
  throw new ConfigError(`${path}: ${firstProblem(parsed.error, (p) => `field "${p.join('.')}"`)}`);
}
