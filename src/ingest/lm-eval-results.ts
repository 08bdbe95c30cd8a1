import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { parsePythonJson } from './python-json.js';
import { unreadable } from './row-to-prediction.js';

/** What a samples file's name says: `samples_<task>_<date>.jsonl`. */
export interface SamplesFileName {
  task: string;
  date?: string;
}

const DATE = '\\d{4}-\\d{2}-\\d{2}T[0-9.\\-]+';
const SAMPLES_NAME = new RegExp(`^samples_(.+?)(?:_(${DATE}))?\\.jsonl$`);
/** results_<date>.json, or <stem>_<date>.json when lm-eval was given --output_path <stem>.json. */
const RESULTS_NAME = new RegExp(`^(?:results|.+)_(${DATE})\\.json$`);

/** True for the aggregate results file lm-eval writes beside its samples files (by name). */
export function isLmEvalResultsFileName(file: string): boolean {
  return RESULTS_NAME.test(basename(file)) && !basename(file).startsWith('samples_');
}

export function parseSamplesFileName(file: string): SamplesFileName | undefined {
  const match = SAMPLES_NAME.exec(basename(file));
  if (!match) return undefined;
  return { task: match[1], date: match[2] };
}

/** The parts of `results_<date>.json` the reader needs for one task. */
export interface LmEvalRunInfo {
  resultsFile: string;
  model: string;
  /** generate_until, loglikelihood, multiple_choice, loglikelihood_rolling; undefined when not recorded. */
  outputType?: string;
  /** Filter names in the order the task config lists them (from filter_list or the results keys). */
  filters: string[];
}

/** Finds the results file written with the samples file and reads model name, output type and filters. */
export async function readLmEvalRunInfo(
  samplesFile: string,
  name: SamplesFileName,
  onWarning?: (message: string) => void,
): Promise<LmEvalRunInfo> {
  const folder = dirname(samplesFile);
  const resultsFile = findResultsFile(folder, name);
  if (resultsFile && name.date && !basename(resultsFile).includes(name.date)) {
    onWarning?.(
      `${samplesFile}: no results file of the same run (date ${name.date}); model name and filters come from ${basename(resultsFile)}`,
    );
  }
  if (!resultsFile) {
    throw new InputError({
      file: samplesFile,
      field: 'model_name',
      problem: `no results_${name.date ?? '<date>'}.json beside this samples file, so the model is unknown (keep the files lm-eval wrote together)`,
    });
  }
  const text = await readFile(resultsFile, 'utf8').catch((error: unknown) => {
    throw unreadable(resultsFile, error);
  });
  let json: Record<string, unknown>;
  try {
    json = parsePythonJson(text) as Record<string, unknown>;
  } catch (error) {
    throw new InputError({ file: resultsFile, problem: `not valid JSON (${(error as Error).message})` });
  }
  const model = modelName(json);
  if (!model) {
    throw new InputError({ file: resultsFile, field: 'model_name', problem: 'neither model_name nor config.model_args names the model' });
  }
  const config = record(record(json.configs)?.[name.task]);
  const outputType = typeof config?.output_type === 'string' ? config.output_type : undefined;
  return { resultsFile, model, outputType, filters: filterNames(config, record(record(json.results)?.[name.task])) };
}

function findResultsFile(folder: string, name: SamplesFileName): string | undefined {
  const files = readdirSync(folder);
  if (name.date) {
    if (files.includes(`results_${name.date}.json`)) return join(folder, `results_${name.date}.json`);
    const sameRun = files.filter((f) => f.endsWith(`_${name.date}.json`) && isLmEvalResultsFileName(f)).sort();
    if (sameRun.length > 0) return join(folder, sameRun[0]);
  }
  // Another run's results file still names the model; the caller warns about the mismatch.
  const candidates = files.filter((f) => /^results.*\.json$/.test(f) || isLmEvalResultsFileName(f)).sort(byDateInName);
  return candidates.length > 0 ? join(folder, candidates[candidates.length - 1]) : undefined;
}

/** Orders lm-eval file names by the run date in them (names without a date first). */
export function byDateInName(a: string, b: string): number {
  const date = (f: string) => new RegExp(DATE).exec(basename(f))?.[0] ?? '';
  const da = date(a);
  const db = date(b);
  return da < db ? -1 : da > db ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function modelName(json: Record<string, unknown>): string | undefined {
  if (typeof json.model_name === 'string' && json.model_name.trim() !== '') return json.model_name.trim();
  const config = record(json.config);
  const args = config?.model_args;
  if (typeof args === 'string') {
    const match = /(?:^|,)\s*(?:pretrained|model|model_name|engine|path)=([^,]+)/.exec(args);
    if (match) return match[1].trim();
  }
  if (args && typeof args === 'object') {
    const a = args as Record<string, unknown>;
    const value = a.pretrained ?? a.model ?? a.model_name;
    if (typeof value === 'string') return value;
  }
  return typeof config?.model === 'string' ? config.model : undefined;
}

function filterNames(config: Record<string, unknown> | undefined, results: Record<string, unknown> | undefined): string[] {
  const names: string[] = [];
  const add = (n: unknown) => {
    if (typeof n === 'string' && n !== '' && !names.includes(n)) names.push(n);
  };
  if (Array.isArray(config?.filter_list)) for (const f of config.filter_list) add(record(f)?.name);
  // Results keys read "metric,filter" (for example "exact_match,strict-match").
  for (const key of Object.keys(results ?? {})) {
    const comma = key.indexOf(',');
    if (comma > 0 && !key.slice(0, comma).endsWith('_stderr')) add(key.slice(comma + 1));
  }
  return names;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
