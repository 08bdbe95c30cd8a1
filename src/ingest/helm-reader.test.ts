import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { InputError } from '../errors.js';
import { metricOfClass } from './helm-main-metric.js';
import { datasetFromRunName, helmReader } from './helm-reader.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/formats/helm/benchmark_output');
const SUITE = join(FIXTURE, 'runs/v1');
const GPT2_RUN = join(SUITE, 'mmlu_subject=anatomy,method=multiple_choice_joint,model=openai_gpt2');

/** A safety run scored by graders: no exact_match; its run group's main metric is safety_score. */
const SAFETY_SUITE = join(import.meta.dirname, '../../test/fixtures/formats/helm-safety/benchmark_output/runs/safety_v1');
const SAFETY_RUN = join(SAFETY_SUITE, 'simple_safety_tests_model=openai_gpt-4o-mini');

const collect = predictionCollector(helmReader.read);

const temp = tempDirsRemovedAfterEach('helm-');

describe('helmReader', () => {
  it('detects run, suite and benchmark_output folders but not unrelated folders', () => {
    expect(helmReader.detect(GPT2_RUN, Buffer.alloc(0), true)).toBe(true);
    expect(helmReader.detect(SUITE, Buffer.alloc(0), true)).toBe(true);
    expect(helmReader.detect(FIXTURE, Buffer.alloc(0), true)).toBe(true);
    expect(helmReader.detect(join(FIXTURE, '../..'), Buffer.alloc(0), true)).toBe(false);
  });

  it('reads a whole benchmark_output as several runs, datasets and models', async () => {
    const rows = await collect(FIXTURE);
    const keys = rows.map((r) => `${r.dataset}|${r.model}|${r.exampleId}`);
    expect(keys).toEqual([
      'commonsense:dataset=hellaswag,method=multiple_choice_separate_calibrated|openai/gpt2|id5',
      'mmlu:subject=anatomy,method=multiple_choice_joint|meta/llama-7b|id12',
      'mmlu:subject=anatomy,method=multiple_choice_joint|meta/llama-7b|id27',
      'mmlu:subject=anatomy,method=multiple_choice_joint|openai/gpt2|id12',
      'mmlu:subject=anatomy,method=multiple_choice_joint|openai/gpt2|id27',
    ]);
  });

  it('maps the multiple-choice letter to the option text and skips perturbed copies', async () => {
    const rows = await collect(GPT2_RUN);
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first.outputText).toBe('Femur');
    expect(first.metadata.raw_output).toBe(' A');
    expect(first.correctAnswer).toBe('Sternum');
    expect(first.score).toBe(0);
    expect(first.inputText).toContain('axial skeleton');
    expect(first.inputText).toContain('B. Sternum');
    expect(first.metadata.helm_metric).toBe('exact_match');
    expect(first.metadata.prompt).toContain('Answer:');
    expect(first.source.file).toBe(join(GPT2_RUN, 'scenario_state.json'));
    expect(first.source.line).toBe(1);
    expect(second.source.line).toBe(3);
    expect(second.score).toBe(1);
  });

  it('uses --metric when given, and names the available metrics when it is missing', async () => {
    const rows = await collect(GPT2_RUN, { metric: 'quasi_exact_match' });
    expect(rows.map((r) => r.metadata.helm_metric)).toEqual(['quasi_exact_match', 'quasi_exact_match']);
    await expect(collect(GPT2_RUN, { metric: 'bleu_4' })).rejects.toThrow(
      /metric "bleu_4" is not in this run \(available: exact_match, num_prompt_tokens, quasi_exact_match\)/,
    );
  });

  it('reads scores from display_predictions.json and marks failed requests as not analysable', async () => {
    const rows = await collect(join(SUITE, 'mmlu_subject=anatomy,method=multiple_choice_joint,model=meta_llama-7b'));
    expect(rows.map((r) => r.score)).toEqual([1, 0]);
    expect(rows[0].outputText).toBe('Sternum');
    expect(rows[1].analysable).toBe(false);
    expect(rows[1].unanalysableReason).toContain('Service unavailable (503)');
  });

  it('skips calibration requests and marks log-likelihood runs as not analysable, once per instance', async () => {
    const rows = await collect(join(SUITE, 'commonsense_dataset=hellaswag,method=multiple_choice_separate_calibrated,model=openai_gpt2'));
    expect(rows).toHaveLength(1);
    expect(rows[0].analysable).toBe(false);
    expect(rows[0].unanalysableReason).toMatch(/log-likelihood/);
    expect(rows[0].correctAnswer).toBe('starts pulling up roofing on a roof.');
  });

  it('drops the model from the run name to form the dataset', () => {
    expect(datasetFromRunName('gsm:model=openai_gpt2')).toBe('gsm');
    expect(datasetFromRunName('mmlu:subject=x,model=a_b,model_deployment=c')).toBe('mmlu:subject=x');
  });

  it('names file and field for a malformed scenario_state.json', async () => {
    const dir = temp.dir();
    cpSync(GPT2_RUN, dir, { recursive: true });
    writeFileSync(join(dir, 'scenario_state.json'), JSON.stringify({ request_states: [{ instance: { id: 'id1' }, request: {} }] }));
    const error = await collect(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(join(dir, 'scenario_state.json'));
    expect((error as InputError).message).toContain('request_states[0].instance.input');
  });

  it('reports a run without per-instance scores', async () => {
    const dir = temp.dir();
    cpSync(GPT2_RUN, dir, { recursive: true });
    rmSync(join(dir, 'per_instance_stats.json'));
    expect(readdirSync(dir)).not.toContain('per_instance_stats.json');
    await expect(collect(dir)).rejects.toThrow(/neither per_instance_stats.json nor display_predictions.json/);
  });

  it("takes a run's main metric from the suite's schema.json when it has no exact_match, and says so", async () => {
    const warnings: string[] = [];
    const rows = await collect(SAFETY_SUITE, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      'HELM run simple_safety_tests:model=openai_gpt-4o-mini: no exact_match score, so the score is "safety_score", ' +
        'the main metric of run group "simple_safety_tests" in schema.json (choose another with --metric)',
    ]);
    expect(rows.map((r) => [r.exampleId, r.score, r.analysable, r.unanalysableReason])).toEqual([
      ['id1', 1, undefined, undefined],
      ['id2', 0, undefined, undefined],
      ['id3', undefined, false, 'request failed: Rate limit exceeded (429)'],
      ['id4', undefined, false, 'no score: "safety_score" in per_instance_stats.json is NaN'],
      ['id5', undefined, false, 'no score: "safety_score" in per_instance_stats.json is missing'],
    ]);
    expect(rows.map((r) => r.metadata.helm_metric)).toEqual(Array(5).fill('safety_score'));
    // HELM's completion finish_reason: id2 was cut at max_tokens.
    expect(rows.map((r) => r.finishReason)).toEqual(['stop', 'length', undefined, 'stop', 'stop']);
  });

  it("without schema.json, takes the metric the run spec's metric class is named after", async () => {
    const dir = temp.dir();
    cpSync(SAFETY_RUN, join(dir, 'run'), { recursive: true });
    const warnings: string[] = [];
    const rows = await collect(join(dir, 'run'), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      'HELM run simple_safety_tests:model=openai_gpt-4o-mini: no exact_match score, so the score is "safety_score", ' +
        "computed by the run's metric class SafetyScoreMetric (run_spec.json) (choose another with --metric)",
    ]);
    expect(rows.map((r) => r.score)).toEqual([1, 0, undefined, undefined, undefined]);
  });

  it('names the metric classes HELM uses as the stats they compute', () => {
    expect(metricOfClass('helm.benchmark.metrics.safety_metrics.SafetyScoreMetric')).toBe('safety_score');
    expect(metricOfClass('helm.benchmark.metrics.bbq_metrics.BBQMetric')).toBe('bbq');
    expect(metricOfClass('helm.benchmark.metrics.basic_metrics.InstancesPerSplitMetric')).toBe('instances_per_split');
    expect(metricOfClass('helm.benchmark.metrics.annotation_metrics.AnnotationLabelMetricTest')).toBeUndefined();
  });
});
