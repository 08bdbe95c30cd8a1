import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { REASONING_LEVELS } from '../judge/reasoning.js';

const answerFormatSchema = z
  .object({ kind: z.enum(['auto', 'choice', 'boxed', 'number', 'regex']), pattern: z.string().optional() })
  .strict()
  .refine((f) => f.kind !== 'regex' || isRegex(f.pattern ?? ''), {
    message: 'pattern is not a valid regular expression',
    path: ['pattern'],
  });

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const positiveInt = z.number().int().positive();
const count = z.number().int().min(0);

/**
 * Every run setting a user can give, with its limits: the shape of the --config file, and the check
 * flags go through too. Strict: an unknown key (a typo, or a key that does not belong in a file) is an error.
 */
export const runConfigSchema = z
  .object({
    judge: z.string().min(1),
    baseUrl: z.string().min(1),
    out: z.string().min(1),
    format: z.string().min(1),
    metric: z.string().min(1),
    filter: z.string().min(1),
    concurrency: positiveInt,
    maxRetries: count,
    timeoutMs: z.number().positive(),
    temperature: z.number().min(0),
    structuredOutputs: z.boolean(),
    reasoning: z.enum(REASONING_LEVELS),
    price: z.object({ input: z.number().min(0), output: z.number().min(0) }).strict(),
    batch: z.boolean(),
    batchPollSeconds: z.number().positive(),
    thresholds: z.record(z.string(), z.number()),
    ratio: z.number().gt(0).max(1),
    seed: z.number().int(),
    maxErrors: positiveInt,
    models: z.array(z.string().min(1)).min(1),
    maxReferences: count,
    textBudget: positiveInt,
    precheck: z.enum(['hint', 'label', 'off']),
    answerFormats: z.record(z.string(), answerFormatSchema),
    promptsDir: z.string().min(1),
    maxDepth: z.number().int().min(1),
    maxCategories: positiveInt,
    minShare: z.number().min(0).lt(1),
    taxonomyFile: z.string().min(1),
  })
  .partial()
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;

/** The flag that sets each setting, for messages about flags. */
export const FLAG_OF: Record<string, string> = {
  judge: '--judge',
  baseUrl: '--base-url',
  out: '--out',
  format: '--format',
  metric: '--metric',
  filter: '--filter',
  concurrency: '--concurrency',
  maxRetries: '--max-retries',
  timeoutMs: '--timeout',
  temperature: '--temperature',
  structuredOutputs: '--no-structured-outputs',
  reasoning: '--reasoning',
  price: '--price',
  batch: '--batch',
  batchPollSeconds: '--batch-poll',
  thresholds: '--threshold',
  ratio: '--ratio',
  seed: '--seed',
  maxErrors: '--max-errors',
  models: '--models',
  maxReferences: '--references',
  textBudget: '--text-budget',
  precheck: '--precheck',
  answerFormats: '--config',
  promptsDir: '--prompts',
  maxDepth: '--max-depth',
  maxCategories: '--max-categories',
  minShare: '--min-share',
  taxonomyFile: '--taxonomy',
};

function firstProblem(error: z.ZodError, describe: (path: PropertyKey[]) => string): string {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return `unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${describe(issue.path)}: ${issue.message}`;
}

/** Checks settings that came from flags, naming the flag in the message. */
export function checkFlagSettings(values: Record<string, unknown>): RunConfig {
  const parsed = runConfigSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new ConfigError(firstProblem(parsed.error, (path) => FLAG_OF[String(path[0])] ?? String(path[0])));
}

/** Reads and checks the --config file; the message names the file and the field. */
export function readConfigFile(path: string | undefined): RunConfig {
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
  const parsed = runConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`${path}: ${firstProblem(parsed.error, (p) => `field "${p.join('.')}"`)}`);
}
