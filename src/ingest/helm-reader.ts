import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { finishReasonFromTokens, normalizeFinishReason } from './finish-reason.js';
import { runMetricHints } from './helm-main-metric.js';
import { type HelmScores, readHelmScores } from './helm-scores.js';
import { streamJsonArray } from './json-stream.js';
import { withoutScore } from './not-analysable.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { parsePythonJson } from './python-json.js';
import { unreadable } from './row-to-prediction.js';

/**
 * Reads HELM run output: a run folder (`benchmark_output/runs/<suite>/<run>/`), a suite folder,
 * or a whole `benchmark_output` folder (every run inside is read, in sorted order).
 *
 * Per run: `run_spec.json` gives model and dataset; `scenario_state.json` (streamed) gives input,
 * references and completion per request; `per_instance_stats.json` (or `display_predictions.json`)
 * gives the per-instance score. Calibration requests and perturbed instances are skipped.
 */
export const helmReader: InputReader = {
  name: 'helm',
  detect(path, _head, isDirectory) {
    if (!isDirectory) return basename(path) === 'scenario_state.json';
    return findRunFolders(path, 1).length > 0;
  },
  read: readHelm,
};

const SCENARIO_STATE = 'scenario_state.json';
const RUN_SPEC = 'run_spec.json';
/** run/ (0) ← suite/ (1) ← runs/ (2) ← benchmark_output/ (3). */
const MAX_DEPTH = 3;

/** Run folders under `root` (itself included), sorted; stops after `limit` when given. */
export function findRunFolders(root: string, limit?: number): string[] {
  const found: string[] = [];
  const visit = (folder: string, depth: number) => {
    if (limit !== undefined && found.length >= limit) return;
    if (existsSync(join(folder, SCENARIO_STATE)) && existsSync(join(folder, RUN_SPEC))) {
      found.push(folder);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(folder)
        .filter((n) => !n.startsWith('.'))
        .sort();
    } catch {
      return;
    }
    for (const name of names) {
      const child = join(folder, name);
      if (isFolder(child)) visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function* readHelm(path: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const root = isFolder(path) ? path : dirname(path);
  const runs = findRunFolders(root);
  if (runs.length === 0) {
    throw new InputError({ file: root, problem: `no HELM run folder (with ${SCENARIO_STATE} and ${RUN_SPEC}) found here` });
  }
  for (const run of runs) yield* readRun(run, options);
}

const RunSpecSchema = z.looseObject({
  name: z.string(),
  adapter_spec: z.looseObject({
    model: z.string().optional(),
    model_deployment: z.string().optional(),
    method: z.string().optional(),
    num_train_trials: z.number().optional(),
  }),
  scenario_spec: z.looseObject({ class_name: z.string().optional() }).optional(),
});
type RunSpec = z.infer<typeof RunSpecSchema>;

async function readRunSpec(file: string): Promise<{ spec: RunSpec; json: unknown }> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw unreadable(file, error);
  });
  let json: unknown;
  try {
    json = parsePythonJson(text);
  } catch (error) {
    throw new InputError({ file, problem: `not valid JSON (${(error as Error).message})` });
  }
  const parsed = RunSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError({ file, field: issue.path.join('.'), problem: issue.message });
  }
  return { spec: parsed.data, json };
}

/** The dataset of a run: its run name without the model arguments, so runs of several models share it. */
export function datasetFromRunName(name: string): string {
  const colon = name.indexOf(':');
  if (colon < 0) return name;
  const args = name
    .slice(colon + 1)
    .split(',')
    .filter((arg) => !/^(model|model_deployment)=/.test(arg));
  return args.length > 0 ? `${name.slice(0, colon)}:${args.join(',')}` : name.slice(0, colon);
}

const ReferenceSchema = z.looseObject({
  output: z.looseObject({ text: z.string() }),
  tags: z.array(z.string()).default([]),
});
const RequestStateSchema = z.looseObject({
  instance: z.looseObject({
    id: z.string().optional(),
    input: z.looseObject({ text: z.string() }),
    references: z.array(ReferenceSchema).default([]),
    split: z.string().optional(),
    sub_split: z.string().nullish(),
    perturbation: z.unknown().optional(),
  }),
  train_trial_index: z.number().default(0),
  output_mapping: z.record(z.string(), z.string()).nullish(),
  reference_index: z.number().nullish(),
  request_mode: z.string().nullish(),
  request: z.looseObject({ prompt: z.string().default(''), model: z.string().optional(), max_tokens: z.number().nullish() }),
  result: z
    .looseObject({
      success: z.boolean().default(true),
      error: z.string().nullish(),
      completions: z
        .array(
          z.looseObject({
            text: z.string(),
            finish_reason: z.looseObject({ reason: z.string().nullish() }).nullish(),
            tokens: z.array(z.unknown()).nullish(),
          }),
        )
        .default([]),
    })
    .nullish(),
});
type RequestState = z.infer<typeof RequestStateSchema>;

async function* readRun(run: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  const { spec, json: specJson } = await readRunSpec(join(run, RUN_SPEC));
  const scores = await readHelmScores(run, options.metric, options.metric ? [] : await runMetricHints(run, specJson));
  if (scores.chosenBecause) {
    options.onWarning?.(
      `HELM run ${spec.name}: no exact_match score, so the score is "${scores.metric}", ${scores.chosenBecause} (choose another with --metric)`,
    );
  }
  const stateFile = join(run, SCENARIO_STATE);
  const model = spec.adapter_spec.model ?? spec.adapter_spec.model_deployment;
  if (!model) throw new InputError({ file: join(run, RUN_SPEC), field: 'adapter_spec.model', problem: 'the run spec names no model' });
  const dataset = options.dataset ?? datasetFromRunName(spec.name);
  const method = spec.adapter_spec.method ?? '';
  const severalTrials = (spec.adapter_spec.num_train_trials ?? 1) > 1;
  // Methods that score each reference by log-likelihood have one request per reference and no generated answer.
  const loglikelihood = method.startsWith('multiple_choice_separate') || method === 'language_modeling';
  const emitted = new Set<string>();

  for await (const { index, value } of streamJsonArray(stateFile, 'request_states')) {
    const record = index + 1;
    const parsed = RequestStateSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError({
        file: stateFile,
        line: record,
        field: `request_states[${index}].${issue.path.join('.')}`,
        problem: issue.message,
      });
    }
    const state = parsed.data;
    // Calibration requests are HELM's own probes (no real input); perturbed copies are robustness variants.
    if (state.request_mode === 'calibration' || state.instance.perturbation) continue;
    const instanceId = state.instance.id;
    if (!instanceId) {
      throw new InputError({ file: stateFile, line: record, field: `request_states[${index}].instance.id`, problem: 'instance has no id' });
    }
    const trial = state.train_trial_index;
    const key = `${instanceId}#${trial}`;
    if (emitted.has(key)) continue;
    emitted.add(key);

    const score = scores.lookup(instanceId, trial);
    const prediction = toPrediction(state, {
      dataset,
      model,
      run: spec.name,
      method,
      loglikelihood,
      exampleId: severalTrials ? `${instanceId}#trial${trial}` : instanceId,
      score: score !== undefined && Number.isFinite(score) ? score : undefined,
      scores,
      source: { file: stateFile, line: record },
    });
    // An instance the metric skipped (or scored NaN) is kept unscored, unless its request failed: that reason stays.
    // The reason names no instance (the row does), so that the run can count rows by reason.
    const failed = state.result && !state.result.success;
    if ((score === undefined || !Number.isFinite(score)) && !failed)
      withoutScore(prediction, `"${scores.metric}" in ${scores.file}`, score);
    yield prediction;
  }
}

interface RequestContext {
  dataset: string;
  model: string;
  run: string;
  method: string;
  loglikelihood: boolean;
  exampleId: string;
  score: number | undefined;
  scores: HelmScores;
  source: Prediction['source'];
}

function toPrediction(state: RequestState, ctx: RequestContext): Prediction {
  const mapping = state.output_mapping ?? undefined;
  const correct = state.instance.references.filter((r) => r.tags.includes('correct')).map((r) => r.output.text);
  const rawOutput = state.result?.completions[0]?.text ?? '';
  const letter = rawOutput.trim();
  const mapped = mapping?.[letter];

  const metadata: Record<string, string> = {
    helm_run: ctx.run,
    helm_method: ctx.method,
    helm_metric: ctx.scores.metric,
    instance_id: state.instance.id ?? '',
    train_trial_index: String(state.train_trial_index),
    prompt: state.request.prompt,
  };
  if (state.instance.split) metadata.split = state.instance.split;
  if (state.instance.sub_split) metadata.sub_split = state.instance.sub_split;
  if (mapping) metadata.raw_output = rawOutput;

  const prediction: Prediction = {
    dataset: ctx.dataset,
    exampleId: ctx.exampleId,
    model: ctx.model,
    inputText: mapping ? withOptions(state.instance.input.text, mapping) : state.instance.input.text,
    outputText: mapped ?? letter,
    score: ctx.score,
    correctAnswer: correct.length > 0 ? correct.join(' | ') : undefined,
    metadata,
    source: ctx.source,
  };
  const completion = state.result?.completions[0];
  const finishReason =
    normalizeFinishReason(completion?.finish_reason?.reason) ??
    finishReasonFromTokens(completion?.tokens?.length, state.request.max_tokens);
  if (finishReason && !ctx.loglikelihood) prediction.finishReason = finishReason;
  if (ctx.loglikelihood) {
    prediction.outputText = '';
    prediction.analysable = false;
    prediction.unanalysableReason = `log-likelihood scoring (HELM method ${ctx.method}): the model generated no text`;
  } else if (state.result && !state.result.success) {
    prediction.analysable = false;
    prediction.unanalysableReason = `request failed: ${state.result.error ?? 'unknown error'}`;
  }
  return prediction;
}

/** The question followed by its lettered options, as the model saw them. */
function withOptions(input: string, mapping: Record<string, string>): string {
  const options = Object.entries(mapping).map(([letter, text]) => `${letter}. ${text}`);
  return `${input}\n\n${options.join('\n')}`;
}
