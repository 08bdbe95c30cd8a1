import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { unreadable } from './row-to-prediction.js';

/** What a samples file's name says: `samples_<task>_<date>.jsonl`. */
export interface SamplesFileName {
  task: string;
  date?: string;
}

const SAMPLES_NAME = /^samples_(.+?)(?:_(\d{4}-\d{2}-\d{2}T[0-9.\-]+))?\.jsonl$/;

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
export async function readLmEvalRunInfo(samplesFile: string, name: SamplesFileName): Promise<LmEvalRunInfo> {
  const folder = dirname(samplesFile);
  const resultsFile = findResultsFile(folder, name);
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
    json = JSON.parse(text) as Record<string, unknown>;
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
  if (name.date) {
    const exact = join(folder, `results_${name.date}.json`);
    if (existsSync(exact)) return exact;
  }
  const candidates = readdirSync(folder)
    .filter((f) => /^results.*\.json$/.test(f))
    .sort();
  return candidates.length > 0 ? join(folder, candidates[candidates.length - 1]) : undefined;
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
