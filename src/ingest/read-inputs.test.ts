import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../errors.js';
import { runDirectoryReason } from '../store/run-dir.js';
import { collectInputs, readInputs } from './read-inputs.js';

const REPO = join(import.meta.dirname, '../..');
const BAD = join(REPO, 'test/fixtures/bad');
const HEADER = 'example_id,model,input_text,output_text,score\n';
const LM_EVAL = join(REPO, 'test/fixtures/formats/lm-eval');
const LM_EVAL_MODEL = join(LM_EVAL, 'EleutherAI__pythia-160m');

function tempFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'errormap-inputs-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('readInputs', () => {
  it('recurses into folders in sorted order, skips files no reader detects, and summarises each input', async () => {
    const root = tempFolder({
      'b/gsm8k.jsonl': '{"example_id":"1","model":"m","input_text":"i","output_text":"o","score":0}\n',
      'a.csv': `${HEADER}1,m,i,o,1\n2,m,i,o,0\n`,
      'notes.md': '# not an input',
      '.hidden.csv': 'garbage',
    });
    const { predictions, inputs } = await collectInputs([root]);
    expect(predictions.map((p) => `${p.dataset}/${p.exampleId}`)).toEqual(['a/1', 'a/2', 'gsm8k/1']);
    expect(inputs).toEqual([
      { path: join(root, 'a.csv'), format: 'csv', rows: 2, sha256: sha256Of(join(root, 'a.csv')) },
      { path: join(root, 'b/gsm8k.jsonl'), format: 'jsonl', rows: 1, sha256: sha256Of(join(root, 'b/gsm8k.jsonl')) },
    ]);
  });

  it('passes over a run directory inside the input folder (it holds errormap.db), and says so', async () => {
    const analysis = '{"failure_id":"f1","criteria":"c","error_title":"t","error_summary":"s"}\n';
    const root = tempFolder({
      'results.csv': `${HEADER}1,m,i,o,1\n2,m,i,o,0\n`,
      'out/errormap.db': '',
      'out/analyses.jsonl': analysis,
      'out/signatures.csv': 'group_by,group,category\nmodel,m,c\n',
    });
    const warnings: string[] = [];
    const { predictions, inputs } = await collectInputs([root], {
      outputFolderReason: runDirectoryReason,
      onWarning: (w) => warnings.push(w),
    });
    expect(predictions.map((p) => `${p.dataset}/${p.exampleId}`)).toEqual(['results/1', 'results/2']);
    expect(inputs.map((i) => i.path)).toEqual([join(root, 'results.csv')]);
    expect(warnings).toEqual([expect.stringContaining(`skipped ${join(root, 'out')}: an errormap run directory`)]);
  });

  it('passes over the paths given in `skip` (the run output folder before its database exists)', async () => {
    const root = tempFolder({
      'results.csv': `${HEADER}1,m,i,o,1\n`,
      'out/analyses.jsonl': '{"failure_id":"f1","criteria":"c","error_title":"t","error_summary":"s"}\n',
    });
    // Without the option the output file is read as an input and rejected.
    expect(await failure(collectInputs([root]))).toBeInstanceOf(InputError);
    const { predictions, inputs } = await collectInputs([root], { skip: [relative(process.cwd(), join(root, 'out'))] });
    expect(predictions.map((p) => `${p.dataset}/${p.exampleId}`)).toEqual(['results/1']);
    expect(inputs.map((i) => i.path)).toEqual([join(root, 'results.csv')]);
  });

  it('catches a duplicate (dataset, example, model) across two files and names both places', async () => {
    const dir = join(BAD, 'duplicates');
    const error = await failure(collectInputs([join(dir, 'mmlu_a.csv'), join(dir, 'mmlu_b.csv')]));
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toContain(`${join(dir, 'mmlu_b.csv')}, line 3`);
    expect(message).toContain(`${join(dir, 'mmlu_a.csv')}, line 3`);
    expect(message).toContain('"q2"');
  });

  it('reads an lm-eval output folder (results beside samples) without mistaking the results file for another format', async () => {
    const inputs: string[] = [];
    const warnings: string[] = [];
    const rows: string[] = [];
    for await (const p of readInputs([LM_EVAL], {
      onInput: (i) => inputs.push(`${i.format}:${i.path.split('/').at(-1)}`),
      onWarning: (w) => warnings.push(w),
    })) {
      rows.push(`${p.dataset}/${p.exampleId}/${p.model}`);
    }
    expect(inputs).toEqual([
      'lm-eval:samples_arc_easy_2024-05-01T12-00-00.123456.jsonl',
      'lm-eval:samples_gsm8k_2024-05-01T12-00-00.123456.jsonl',
    ]);
    expect(rows).toEqual(['arc_easy/0', 'arc_easy/1', 'gsm8k/0', 'gsm8k/1'].map((r) => `${r}/EleutherAI/pythia-160m`));
    expect(warnings).toEqual([]);
  });

  it('reads the newest lm-eval run of a task when a re-run left two in the folder, and says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'errormap-lmeval-'));
    for (const name of readdirSync(LM_EVAL_MODEL)) copyFileSync(join(LM_EVAL_MODEL, name), join(root, name));
    const later = '2024-05-02T08-30-00.000001';
    const rerun = readFileSync(join(LM_EVAL_MODEL, 'samples_gsm8k_2024-05-01T12-00-00.123456.jsonl'), 'utf8').replaceAll(
      '"exact_match": 0.0',
      '"exact_match": 1.0',
    );
    writeFileSync(join(root, `samples_gsm8k_${later}.jsonl`), rerun);
    copyFileSync(join(LM_EVAL_MODEL, 'results_2024-05-01T12-00-00.123456.json'), join(root, `results_${later}.json`));
    const warnings: string[] = [];
    const { predictions, inputs } = await collectInputs([root], {
      outputFolderReason: runDirectoryReason,
      onWarning: (w) => warnings.push(w),
    });
    expect(inputs.map((i) => i.path.split('/').at(-1))).toEqual([
      'samples_arc_easy_2024-05-01T12-00-00.123456.jsonl',
      `samples_gsm8k_${later}.jsonl`,
    ]);
    expect(predictions.filter((p) => p.dataset === 'gsm8k').map((p) => p.score)).toEqual([1, 1]);
    expect(warnings).toEqual([
      `${root} holds 2 lm-eval runs of task "gsm8k": reading the newest, samples_gsm8k_${later}.jsonl, and skipping samples_gsm8k_2024-05-01T12-00-00.123456.jsonl (name a samples file to read another run)`,
    ]);
  });

  it('explains an lm-eval folder written without --log_samples', async () => {
    const root = mkdtempSync(join(tmpdir(), 'errormap-lmeval-'));
    copyFileSync(join(LM_EVAL_MODEL, 'results_2024-05-01T12-00-00.123456.json'), join(root, 'results_2024-05-01T12-00-00.123456.json'));
    await expect(collectInputs([root])).rejects.toThrow(/--log_samples/);
  });

  it('catches a duplicate inside one file', async () => {
    const error = await failure(collectInputs([join(BAD, 'duplicate-in-file.csv')]));
    expect((error as InputError).message).toMatch(
      /duplicate-in-file\.csv, line 5.*first seen at .*duplicate-in-file\.csv, line 2\. .*name only one of them/,
    );
  });

  it('rejects a missing path with INPUT_UNREADABLE and an undetectable file with a hint', async () => {
    const missing = await failure(collectInputs(['/nonexistent/errormap-input.csv']));
    expect((missing as InputError).code).toBe('INPUT_UNREADABLE');
    const root = tempFolder({ 'data.txt': 'x' });
    const unknown = await failure(collectInputs([join(root, 'data.txt')]));
    expect((unknown as InputError).message).toContain('--format');
    const empty = await failure(collectInputs([root]));
    expect((empty as InputError).message).toContain('no readable input file');
  });

  it('--format forces a reader on a file with another extension, and an unknown format is a config error', async () => {
    const root = tempFolder({ 'scores.txt': `${HEADER}1,m,i,o,1\n` });
    const { predictions, inputs } = await collectInputs([join(root, 'scores.txt')], { format: 'csv' });
    expect(predictions).toHaveLength(1);
    expect(inputs[0].format).toBe('csv');
    expect(await failure(collectInputs([root], { format: 'nope' }))).toBeInstanceOf(ConfigError);
  });

  it('streams: the first prediction arrives before a later bad row is read', async () => {
    const root = tempFolder({ 'a.csv': `${HEADER}1,m,i,o,1\n2,m,i,o,bad\n` });
    const iterator = readInputs([root]);
    expect((await iterator.next()).value).toMatchObject({ exampleId: '1' });
    expect(await failure(iterator.next())).toBeInstanceOf(InputError);
  });

  it('loads the shipped example data, every example with all its models', async () => {
    const { predictions, inputs } = await collectInputs([join(REPO, 'examples/data')]);
    expect(inputs.map((i) => i.path.split('/').at(-1))).toEqual(['alpaca_eval.csv', 'mmlu_pro.csv', 'theoremqa.csv', 'vicuna_bench.csv']);
    const modelsPerExample = new Map<string, Set<string>>();
    for (const p of predictions) {
      const key = `${p.dataset}/${p.exampleId}`;
      modelsPerExample.set(key, (modelsPerExample.get(key) ?? new Set()).add(p.model));
    }
    // Every example keeps several models' answers, so other models' correct outputs can serve as references.
    for (const models of modelsPerExample.values()) expect(models.size).toBeGreaterThanOrEqual(5);
  });
});

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
