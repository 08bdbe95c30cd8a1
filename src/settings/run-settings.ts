import { z } from 'zod';
import { REASONING_LEVELS } from '../contracts/reasoning.js';

/**
 * Every setting of `errormap run`, once: its limits, default and one-line description (`.describe`),
 * plus how a flag spells it (`settingFlags`). The commander options, the --config file schema, the
 * flag-name map and the run's `RunSettings` are all derived from this file.
 *
 * Adding a setting: one field in its group below, then use it where its stage reads `settings.<group>`.
 */

/** The analyst that needs no judge: deterministic detectors only. */
export const OFFLINE_JUDGE = 'offline';

/** How a setting is given on the command line; a field without an entry is set only in a --config file. */
export interface SettingFlag {
  /** Commander flag spelling, e.g. "--ratio <r>". */
  flag: string;
  /** Flag text → setting value; NaN for a number that is not one, which the schema check then reports. */
  /** How the flag's text becomes the value; 'dataset-values' is a repeatable dataset=value flag. */
  parse?: 'number' | 'list' | 'seconds' | 'price' | 'negated' | 'dataset-values';
  choices?: readonly string[];
  /** Help text for the default, when the value itself would mislead; false hides it. */
  defaultText?: string | false;
}

export const settingFlags = z.registry<SettingFlag>();

const positiveInt = z.number().int().positive();
const count = z.number().int().min(0);

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const answerFormatSchema = z
  .object({ kind: z.enum(['auto', 'choice', 'boxed', 'number', 'regex']), pattern: z.string().optional() })
  .strict()
  .refine((f) => f.kind !== 'regex' || isRegex(f.pattern ?? ''), {
    message: 'pattern is not a valid regular expression',
    path: ['pattern'],
  });

/**
 * What the detectors do in judge mode. hint (default): verified findings go to the judge as evidence;
 * hint-all: unverified ones too, marked so; label: verified mechanical findings file failures without a
 * call (the rest as hint); off: nothing. "Verified" = held-out precision's lower bound ≥ 0.85.
 */
export const PRECHECK_MODES = ['hint', 'hint-all', 'label', 'off'] as const;
export type PrecheckMode = (typeof PRECHECK_MODES)[number];

const inputSettings = z.object({
  format: z
    .string()
    .min(1)
    .optional()
    .describe('input format, when detection is not wanted')
    .register(settingFlags, { flag: '--format <name>' }),
  metric: z
    .string()
    .min(1)
    .optional()
    .describe('score metric for inputs that log several (HELM, lm-eval, Inspect)')
    .register(settingFlags, { flag: '--metric <name>' }),
  filter: z
    .string()
    .min(1)
    .optional()
    .describe('lm-eval filter to use when several were logged')
    .register(settingFlags, { flag: '--filter <name>' }),
});

const judgeSettings = z.object({
  judge: z
    .string()
    .min(1)
    .default(OFFLINE_JUDGE)
    .describe('judge LLM, e.g. openai:gpt-4.1-mini, anthropic:claude-sonnet-4-0, vllm:qwen2.5-72b; "offline" needs no key')
    .register(settingFlags, { flag: '--judge <provider:model>', defaultText: '$ERRORMAP_JUDGE or offline' }),
  baseUrl: z
    .string()
    .min(1)
    .optional()
    .describe('base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio)')
    .register(settingFlags, { flag: '--base-url <url>' }),
  concurrency: positiveInt
    .default(8)
    .describe('judge calls in flight')
    .register(settingFlags, { flag: '--concurrency <n>', parse: 'number' }),
  maxRetries: count
    .default(4)
    .describe('retries of a failed call (429, 5xx, timeouts)')
    .register(settingFlags, { flag: '--max-retries <n>', parse: 'number' }),
  timeoutMs: z
    .number()
    .positive()
    .default(120_000)
    .describe('timeout of one judge call')
    .register(settingFlags, { flag: '--timeout <seconds>', parse: 'seconds', defaultText: '120' }),
  temperature: z
    .number()
    .min(0)
    .default(0)
    .describe('judge temperature')
    .register(settingFlags, { flag: '--temperature <t>', parse: 'number' }),
  structuredOutputs: z
    .boolean()
    .optional()
    .describe('ask for JSON in the prompt instead of a JSON schema (servers without schema support)')
    .register(settingFlags, { flag: '--no-structured-outputs', parse: 'negated' }),
  reasoning: z
    .enum(REASONING_LEVELS)
    .optional()
    .describe(
      'reasoning effort through the judge provider\'s own option (OpenAI, Azure, Anthropic, Google, compatible servers, which also get a "Reasoning: LEVEL" prompt line)',
    )
    .register(settingFlags, { flag: '--reasoning <level>', choices: REASONING_LEVELS }),
  price: z
    .object({
      input: z.number().min(0),
      output: z.number().min(0),
      cachedInput: z.number().min(0).optional(),
      cacheWrite: z.number().min(0).optional(),
    })
    .strict()
    .optional()
    .describe(
      'judge price in USD per million tokens, for cost accounting: INPUT,OUTPUT[,CACHED_INPUT[,CACHE_WRITE]] (prompt tokens read from and written to its cache)',
    )
    .register(settingFlags, { flag: '--price <usd>', parse: 'price' }),
  budget: z
    .number()
    .positive()
    .optional()
    .describe(
      'stop sending judge calls before the estimated spend in this run directory would pass this many USD; run again with a higher budget to go on',
    )
    .register(settingFlags, { flag: '--budget <usd>', parse: 'number' }),
  batch: z
    .boolean()
    .default(false)
    .describe(
      'send the analyses through the provider batch API first (OpenAI, Azure, compatible servers, Anthropic): about half the price, answers within 24 h; a killed run resumes the same batch',
    )
    .register(settingFlags, { flag: '--batch', defaultText: false }),
  batchPollSeconds: z
    .number()
    .positive()
    .default(30)
    .describe('first wait between batch status checks (grows to 10 minutes)')
    .register(settingFlags, { flag: '--batch-poll <seconds>', parse: 'number' }),
  promptsDir: z
    .string()
    .min(1)
    .optional()
    .describe('folder of prompt templates overriding the built-in ones')
    .register(settingFlags, { flag: '--prompts <dir>' }),
});

const samplingSettings = z.object({
  thresholds: z
    .record(z.string(), z.number())
    .default(() => ({}))
    .describe('success threshold of a dataset (repeatable)')
    .register(settingFlags, {
      flag: '--threshold <dataset=value>',
      parse: 'dataset-values',
      defaultText: 'round(0.7 × mean, 2) per dataset',
    }),
  ratio: z
    .number()
    .gt(0)
    .max(1)
    .default(0.1)
    .describe('share of failures to analyse per (model, dataset)')
    .register(settingFlags, { flag: '--ratio <r>', parse: 'number' }),
  seed: z
    .number()
    .int()
    .default(42)
    .describe('seed for sampling and shuffling')
    .register(settingFlags, { flag: '--seed <n>', parse: 'number' }),
  maxErrors: positiveInt
    .optional()
    .describe('cap on the number of failures analysed')
    .register(settingFlags, { flag: '--max-errors <n>', parse: 'number' }),
  models: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("analyse only these models' failures (all models still serve as references)")
    .register(settingFlags, { flag: '--models <names...>', parse: 'list' }),
});

const analysisSettings = z.object({
  maxReferences: count
    .default(3)
    .describe('correct outputs of other models shown to the judge (0 disables)')
    .register(settingFlags, { flag: '--references <n>', parse: 'number' }),
  textBudget: positiveInt
    .default(12_000)
    .describe('characters kept per text before it is cut with a marker')
    .register(settingFlags, { flag: '--text-budget <chars>', parse: 'number' }),
  precheck: z
    .enum(PRECHECK_MODES)
    .default('hint')
    .describe(
      'detectors: hint the judge with verified findings, hint-all (unverified too, marked), label verified mechanical failures without a call, or off',
    )
    .register(settingFlags, { flag: '--precheck <mode>', choices: PRECHECK_MODES }),
  answerFormats: z
    .record(z.string(), answerFormatSchema)
    .default(() => ({}))
    .describe('per dataset, how the final answer is written (config file only)'),
});

const taxonomySettings = z.object({
  maxDepth: z
    .number()
    .int()
    .min(1)
    // The reference's max_depth = 2 recurses at depths 0, 1 and 2: three category levels.
    .default(3)
    .describe('category levels below the root')
    .register(settingFlags, { flag: '--max-depth <n>', parse: 'number' }),
  maxCategories: positiveInt
    .default(25)
    .describe('cap on categories per node (also limited to ceil(0.1 × failures at the node))')
    .register(settingFlags, { flag: '--max-categories <n>', parse: 'number' }),
  minShare: z
    .number()
    .min(0)
    .lt(1)
    .default(0)
    .describe('merge categories under this share into Other')
    .register(settingFlags, { flag: '--min-share <s>', parse: 'number' }),
  taxonomyFile: z
    .string()
    .min(1)
    .optional()
    .describe('atlas mode: classify into this fixed taxonomy instead of building one')
    .register(settingFlags, { flag: '--taxonomy <file>' }),
});

const outputSettings = z.object({
  out: z
    .string()
    .min(1)
    .optional()
    .describe('run directory; running again resumes it')
    .register(settingFlags, { flag: '-o, --out <dir>', defaultText: 'runs/<input>-<judge>' }),
  allowIncomplete: z
    .boolean()
    .default(false)
    .describe('exit 0 even when some sampled failures could not be analysed or placed (otherwise exit 3)')
    .register(settingFlags, { flag: '--allow-incomplete', defaultText: false }),
});

/** The settings, grouped by the stage that reads them. */
export const SETTING_GROUPS = {
  input: inputSettings,
  judge: judgeSettings,
  sampling: samplingSettings,
  analysis: analysisSettings,
  taxonomy: taxonomySettings,
  output: outputSettings,
} as const;

type Groups = typeof SETTING_GROUPS;
type GroupName = keyof Groups;

/** Everything `errormap run` needs, each stage's part under its group name. */
export type RunSettings = { [G in GroupName]: z.output<Groups[G]> } & {
  input: { inputs: string[] };
  judge: { /** Secret: used to build the judge, never written anywhere. */ apiKey?: string };
  output: { out: string };
};

/** Settings as a --config file and the flags give them: one flat object of the fields above, each optional. */
export type SettingValues = Partial<
  z.output<typeof inputSettings> &
    z.output<typeof judgeSettings> &
    z.output<typeof samplingSettings> &
    z.output<typeof analysisSettings> &
    z.output<typeof taxonomySettings> &
    z.output<typeof outputSettings>
>;

/** The group each setting belongs to. */
export const GROUP_OF: Record<string, GroupName> = Object.fromEntries(
  (Object.entries(SETTING_GROUPS) as [GroupName, z.ZodObject][]).flatMap(([group, schema]) =>
    Object.keys(schema.shape).map((field) => [field, group]),
  ),
);

/** The flat shape of a --config file (and the check flag values go through). Strict: a typo is an error. */
export const settingValuesSchema = z
  .object(
    Object.fromEntries(
      Object.values(SETTING_GROUPS).flatMap((group) =>
        // Without their defaults: a file or the flags give only what they give; defaults come last.
        Object.entries(group.shape as Record<string, z.ZodType>).map(([name, field]) => [
          name,
          field instanceof z.ZodDefault ? field.removeDefault() : field,
        ]),
      ),
    ),
  )
  .partial()
  .strict();

/** Every field of every group, with its schema, for deriving flags and documentation. */
export function settingFields(): { name: string; group: GroupName; schema: z.ZodType }[] {
  return Object.entries(GROUP_OF).map(([name, group]) => ({
    name,
    group,
    schema: (SETTING_GROUPS[group].shape as Record<string, z.ZodType>)[name],
  }));
}

/** Flat values (already checked) plus the inputs and secret → grouped settings with every default filled in. */
export function resolveSettings(
  values: Partial<Record<string, unknown>> & { inputs: string[]; out: string; apiKey?: string },
): RunSettings {
  const grouped: Record<string, Record<string, unknown>> = Object.fromEntries(Object.keys(SETTING_GROUPS).map((g) => [g, {}]));
  for (const [field, value] of Object.entries(values)) {
    const group = GROUP_OF[field];
    if (group && value !== undefined) grouped[group][field] = value;
  }
  const parsed = Object.fromEntries(
    (Object.entries(SETTING_GROUPS) as [GroupName, z.ZodObject][]).map(([group, schema]) => [group, schema.parse(grouped[group])]),
  ) as RunSettings;
  parsed.input.inputs = values.inputs;
  parsed.output.out = values.out;
  if (values.apiKey) parsed.judge.apiKey = values.apiKey;
  return parsed;
}

/** Settings as recorded in the run record: the flat --config shape, no secret, paths as given. */
export function publicSettings(settings: RunSettings): Record<string, unknown> {
  const { apiKey: _secret, ...judge } = settings.judge;
  const flat = { ...settings.input, ...settings.output, ...judge, ...settings.sampling, ...settings.analysis, ...settings.taxonomy };
  return { ...flat, apiKey: settings.judge.apiKey ? '(given, not recorded)' : undefined };
}
