import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** The part of a config file that sets thresholds; other keys belong to other settings and are ignored here. */
const thresholdConfigSchema = z.object({
  thresholds: z.record(z.string().min(1), z.number()).optional(),
});

/** Parses repeated `--threshold dataset=value` flags. */
export function parseThresholdFlags(values: readonly string[]): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const value of values) {
    const split = value.lastIndexOf('=');
    // without "=" (split -1) the dataset is empty and the flag refused
    const dataset = value.slice(0, Math.max(split, 0)).trim();
    const text = value.slice(split + 1).trim();
    // Number('') is 0: an empty value must not read as a threshold of 0
    const threshold = text === '' ? Number.NaN : Number(text);
    if (dataset === '' || !Number.isFinite(threshold)) {
      throw new ConfigError(`--threshold "${value}": expected dataset=number, for example mmlu_pro=1`);
    }
    thresholds[dataset] = threshold;
  }
  return thresholds;
}

/** Parses the `thresholds` object of a JSON config file: `{ "thresholds": { "mmlu_pro": 1 } }`. */
export function parseThresholdConfig(text: string, source: string): Record<string, number> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = thresholdConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { ...(parsed.data.thresholds ?? {}) };
}

export async function readThresholdConfig(path: string): Promise<Record<string, number>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new ConfigError(`cannot read config file ${path} (${error instanceof Error ? error.message : String(error)})`);
  });
  return parseThresholdConfig(text, path);
}

/** Flags win over the config file, dataset by dataset. */
export function mergeThresholdOverrides(
  fromConfig: Readonly<Record<string, number>>,
  fromFlags: Readonly<Record<string, number>>,
): Record<string, number> {
  return { ...fromConfig, ...fromFlags };
}
