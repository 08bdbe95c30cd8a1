import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Price } from '../judge/prices.js';
import { parseThresholdFlags } from '../prepare/threshold-overrides.js';
import { type SettingFlag, settingFields, settingFlags } from '../settings/run-settings.js';

/** A setting that has a flag, with the commander option made from it. */
interface FlagSetting {
  name: string;
  spec: SettingFlag;
  option: Option;
}

function defaultOf(schema: z.ZodType): unknown {
  const def = schema._zod.def as { type: string; defaultValue?: unknown };
  return def.type === 'default' ? def.defaultValue : undefined;
}

function helpOf(schema: z.ZodType, spec: SettingFlag): string {
  const description = schema.description ?? '';
  if (spec.defaultText === false) return description;
  const value = spec.defaultText ?? defaultOf(schema);
  return value === undefined ? description : `${description} (default: ${value})`;
}

function optionOf(schema: z.ZodType, spec: SettingFlag): Option {
  const option = new Option(spec.flag, helpOf(schema, spec));
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse === 'dataset-values') option.argParser((v: string, all: string[] = []) => [...all, v]);
  return option;
}

/** Every run setting with a flag, in schema order. */
function flagSettings(): FlagSetting[] {
  return settingFields().flatMap(({ name, schema }) => {
    const spec = settingFlags.get(schema);
    return spec ? [{ name, spec, option: optionOf(schema, spec) }] : [];
  });
}

/** The flag that sets each setting, for messages about flags; settings only a config file sets name --config. */
export const FLAG_OF: Record<string, string> = Object.fromEntries(
  settingFields().map(({ name, schema }) => [
    name,
    settingFlags
      .get(schema)
      ?.flag.replace(/^-\w, /, '')
      .split(' ')[0] ?? '--config',
  ]),
);

/** Adds the option of every run setting that has a flag, except those named (added elsewhere). */
export function addSettingOptions(command: Command, except: readonly string[] = []): Command {
  for (const s of flagSettings()) if (!except.includes(s.name)) command.addOption(s.option);
  return command;
}

/** A number from a flag; NaN when it is not one, which the settings check then reports. */
function numeric(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

function parsePrice(text: string): Price {
  const parts = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const [input, output, cachedInput, cacheWrite] = parts;
  if (parts.length < 2 || parts.length > 4 || !parts.every(Number.isFinite))
    throw new ConfigError('--price: expected "INPUT,OUTPUT[,CACHED_INPUT[,CACHE_WRITE]]" in USD per million tokens');
  return { input, output, ...(cachedInput !== undefined ? { cachedInput } : {}), ...(cacheWrite !== undefined ? { cacheWrite } : {}) };
}

function settingValueOf(spec: SettingFlag, raw: unknown): unknown {
  switch (spec.parse) {
    case 'number':
      return numeric(String(raw));
    case 'seconds':
      return numeric(String(raw)) * 1000;
    case 'list':
      return (raw as string[]).flatMap((m) => m.split(',')).filter(Boolean);
    case 'price':
      return parsePrice(String(raw));
    case 'dataset-values':
      return parseThresholdFlags(raw as string[]);
    case 'negated':
      return raw === false ? false : undefined;
    default:
      return raw;
  }
}

/** Settings given as flags (only those given), in the config file's flat shape. */
export function settingsFromFlags(flags: Record<string, unknown>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const { name, spec, option } of flagSettings()) {
    const raw = flags[option.attributeName()];
    if (raw === undefined) continue;
    const value = settingValueOf(spec, raw);
    if (value !== undefined) given[name] = value;
  }
  return given;
}
