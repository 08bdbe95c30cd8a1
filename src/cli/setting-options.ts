import { type Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import type { Price } from '../judge/prices.js';
import { parseThresholdFlags } from '../prepare/threshold-overrides.js';
import { type SettingFlag, settingFields, settingFlags } from '../settings/run-settings.js';
import { expectedValue } from './setting-expectation.js';

/** A setting that has a flag, with the commander option made from it. */
interface FlagSetting {
  name: string;
  schema: z.ZodType;
  spec: SettingFlag;
  option: Option;
}

/** The schema's default of a setting, when it has one. */
function defaultOf(schema: z.ZodType): unknown {
  const def = schema._zod.def as { type: string; defaultValue?: unknown };
  return def.type === 'default' ? def.defaultValue : undefined;
}

/** The default as the help shows it: the schema's, or the spec's words where the value would mislead. */
function defaultHelp(schema: z.ZodType, spec: SettingFlag): string | undefined {
  if (spec.defaultText === false) return undefined;
  const value = spec.defaultText ?? defaultOf(schema);
  return value === undefined ? undefined : String(value);
}

/** A number from a flag; NaN when it is not one, which the schema then refuses. */
function numeric(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

const PRICE_FORMAT = 'expected "INPUT,OUTPUT[,CACHED_INPUT[,CACHE_WRITE]]" in USD per million tokens';

function parsePrice(text: string): Price {
  const parts = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const [input, output, cachedInput, cacheWrite] = parts;
  if (parts.length < 2 || parts.length > 4 || !parts.every(Number.isFinite)) throw new InvalidArgumentError(PRICE_FORMAT);
  return { input, output, ...(cachedInput !== undefined ? { cachedInput } : {}), ...(cacheWrite !== undefined ? { cacheWrite } : {}) };
}

/**
 * Flag text → setting value, checked against the setting's schema as commander reads it, so a bad
 * value is a one-line usage error naming the flag and what it accepts ("--ratio abc: expected a
 * number, greater than 0 and at most 1").
 */
function checkedValue(schema: z.ZodType, spec: SettingFlag, text: string): unknown {
  const value = spec.parse === 'price' ? parsePrice(text) : spec.parse === 'seconds' ? numeric(text) * 1000 : numeric(text);
  if (!schema.safeParse(value).success) {
    if (spec.parse === 'price') throw new InvalidArgumentError(PRICE_FORMAT);
    throw new InvalidArgumentError(`expected ${expectedValue(schema)}${spec.parse === 'seconds' ? ' (seconds)' : ''}`);
  }
  return value;
}

const CHECKED_AS_READ: readonly SettingFlag['parse'][] = ['number', 'seconds', 'price'];

function optionOf(schema: z.ZodType, spec: SettingFlag): Option {
  const option = new Option(spec.flag, schema.description ?? '');
  option.defaultValueDescription = defaultHelp(schema, spec);
  if (spec.choices) option.choices(spec.choices);
  if (CHECKED_AS_READ.includes(spec.parse)) option.argParser((text: string) => checkedValue(schema, spec, text));
  if (spec.parse === 'dataset-values') option.argParser((v: string, all: string[] = []) => [...all, v]);
  return option;
}

/** Every run setting with a flag, in schema order. */
function flagSettings(): FlagSetting[] {
  return settingFields().flatMap(({ name, schema }) => {
    const spec = settingFlags.get(schema);
    return spec ? [{ name, schema, spec, option: optionOf(schema, spec) }] : [];
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

function settingValueOf(spec: SettingFlag, raw: unknown): unknown {
  switch (spec.parse) {
    case 'list':
      return (raw as string[]).flatMap((m) => m.split(',')).filter(Boolean);
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

/**
 * A run setting's flag for another command that takes it too (validate's --concurrency): the same
 * spelling, check and help, with the run's default applied by commander.
 */
export function runSettingOption(name: string, description?: string): Option {
  const setting = flagSettings().find((s) => s.name === name);
  if (!setting) throw new Error(`run setting ${name} has no flag`);
  const { option, schema } = setting;
  if (description) option.description = description;
  return option.default(defaultOf(schema), option.defaultValueDescription);
}
