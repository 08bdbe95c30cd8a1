/** Flag values and options shared by the commands that read a finished run (signatures, compare, diff, …). */
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';

export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${flag} ${value}: expected a positive whole number`);
  return n;
}

export function probability(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new ConfigError(`${flag} ${value}: expected a number between 0 and 1`);
  return n;
}

/** Commander reducer of a repeatable option: each use appends its value. */
export const collectRepeated = (value: string, previous: string[]): string[] => [...previous, value];

export interface DepthAndAlphaFlags {
  depth: string;
  alpha: string;
}

/** `--depth` and `--alpha` of the commands that test every category for a significant difference. */
export function addDepthAndAlphaOptions(command: Command): Command {
  return command.option('--depth <n>', 'taxonomy depth', '1').option('--alpha <a>', 'significance level for the Holm-adjusted p', '0.05');
}

export function parseDepthAndAlpha(flags: DepthAndAlphaFlags): { depth: number; alpha: number } {
  return { depth: positiveInt('--depth', flags.depth), alpha: probability('--alpha', flags.alpha) };
}
