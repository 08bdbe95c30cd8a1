import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { InputError } from '../errors.js';
import { lmEvalReader } from './lm-eval-reader.js';
import { parseSamplesFileName } from './lm-eval-results.js';

const DIR = join(import.meta.dirname, '../../test/fixtures/formats/lm-eval/EleutherAI__pythia-160m');
const DATE = '2024-05-01T12-00-00.123456';
const GSM = join(DIR, `samples_gsm8k_${DATE}.jsonl`);
const ARC = join(DIR, `samples_arc_easy_${DATE}.jsonl`);

const PYTHON_NUMBERS = join(import.meta.dirname, '../../test/fixtures/formats/lm-eval-python-numbers/EleutherAI__pythia-70m');

const collect = predictionCollector(lmEvalReader.read);

const temp = tempDirsRemovedAfterEach('lmeval-');

describe('lmEvalReader', () => {
  it('detects samples files by name and content, not other JSONL', () => {
    expect(lmEvalReader.detect(GSM, Buffer.from('{"doc_id": 0, "doc": {}}'), false)).toBe(true);
    expect(lmEvalReader.detect('/x/preds.jsonl', Buffer.from('{"doc_id": 0}'), false)).toBe(false);
    expect(lmEvalReader.detect(GSM, Buffer.from('{"example_id": 0}'), false)).toBe(false);
  });

  it('parses task and date from the file name, task names with underscores included', () => {
    expect(parseSamplesFileName(ARC)).toEqual({ task: 'arc_easy', date: DATE });
  });

  it('reads one filter (strict-match by default) with the raw generation as output', async () => {
    const rows = await collect(GSM);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.metadata.lm_eval_filter)).toEqual(['strict-match', 'strict-match']);
    expect(rows.map((r) => r.score)).toEqual([1, 0]);
    const second = rows[1];
    expect(second.model).toBe('EleutherAI/pythia-160m');
    expect(second.dataset).toBe('gsm8k');
    expect(second.exampleId).toBe('1');
    expect(second.inputText).toBe('Question: A train travels 60 km in 1.5 hours. What is its speed in km/h?\nAnswer:');
    expect(second.outputText).toContain('so the answer is 40');
    expect(second.metadata.extracted_answer).toBe('[invalid]');
    expect(second.correctAnswer).toContain('#### 40');
    expect(second.source).toEqual({ file: GSM, line: 2 });
  });

  it('reads the filter the user names', async () => {
    const rows = await collect(GSM, { filter: 'flexible-extract' });
    expect(rows.map((r) => r.score)).toEqual([1, 1]);
    expect(rows[0].source.line).toBe(3);
    await expect(collect(GSM, { filter: 'majority-vote' })).rejects.toThrow(
      /filter "majority-vote" is not in this run.*strict-match, flexible-extract/,
    );
  });

  it('reads log-likelihood multiple choice as not analysable, with the target mapped to its choice text', async () => {
    const rows = await collect(ARC);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.analysable === false)).toBe(true);
    expect(rows[0].unanalysableReason).toMatch(/log-likelihood/);
    expect(rows[0].correctAnswer).toBe('Planetary days will become shorter.');
    expect(rows[0].metadata.lm_eval_chosen).toBe('Planetary days will become shorter.');
    expect(rows[1].metadata.lm_eval_chosen).toBe('Models are cheaper than real buildings.');
    expect(rows.map((r) => r.score)).toEqual([1, 0]);
    expect(rows[0].metadata.lm_eval_metric).toBe('acc');
    expect((await collect(ARC, { metric: 'acc_norm' }))[0].metadata.lm_eval_metric).toBe('acc_norm');
  });

  it('reads the strings lm-eval writes: "2" as target, ["-12.1", "False"] as log-likelihoods', () => {
    const first = JSON.parse(readFileSync(ARC, 'utf8').split('\n')[0]);
    expect(first.target).toBe('2');
    expect(first.filtered_resps[0]).toEqual(['-12.1', 'False']);
  });

  it('names the choice acc_norm picks (log-likelihood per character), not the raw argmax', async () => {
    const rows = await collect(ARC, { metric: 'acc_norm' });
    expect(rows.map((r) => r.score)).toEqual([0, 1]);
    expect(rows[0].metadata.lm_eval_chosen).toBe('Planetary gravity will become stronger.');
    expect(rows[0].metadata.lm_eval_chosen_by).toBe('log-likelihood per character');
    expect(rows[1].metadata.lm_eval_chosen).toBe('Models show the response to earthquakes safely.');
    expect((await collect(ARC))[0].metadata.lm_eval_chosen_by).toBe('log-likelihood');
  });

  it('maps a list target "[0, 2]" through the choices, and still reads files with numeric targets and log-likelihoods', async () => {
    const dir = temp.dir();
    copyFileSync(join(DIR, `results_${DATE}.json`), join(dir, `results_${DATE}.json`));
    const file = join(dir, `samples_arc_easy_${DATE}.jsonl`);
    const [first, second] = readFileSync(ARC, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    first.target = '[0, 2]';
    // The numeric form, as files converted by other tools (or written by hand) carry it.
    second.target = 1;
    second.resps = [[[-7.5, false]], [[-8.9, false]]];
    second.filtered_resps = [
      [-7.5, false],
      [-8.9, false],
    ];
    writeFileSync(file, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    const rows = await collect(file);
    expect(rows[0].correctAnswer).toBe('Planetary density will decrease. | Planetary days will become shorter.');
    expect(rows[1].correctAnswer).toBe('Models show the response to earthquakes safely.');
    expect(rows[1].metadata.lm_eval_chosen).toBe('Models are cheaper than real buildings.');
  });

  it('keeps a digit target of a generation task as text', async () => {
    const dir = temp.dir();
    copyFileSync(join(DIR, `results_${DATE}.json`), join(dir, `results_${DATE}.json`));
    const file = join(dir, `samples_gsm8k_${DATE}.jsonl`);
    const sample = JSON.parse(readFileSync(GSM, 'utf8').split('\n')[0]);
    writeFileSync(
      file,
      `${JSON.stringify({ ...sample, target: '7', doc: { ...sample.doc, choices: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] } })}\n`,
    );
    expect((await collect(file))[0].correctAnswer).toBe('7');
  });

  it('claims the results file but reading it alone says where the per-sample rows are', async () => {
    const results = join(DIR, `results_${DATE}.json`);
    expect(lmEvalReader.detect(results, readFileSync(results).subarray(0, 4096), false)).toBe(true);
    await expect(collect(results)).rejects.toThrow(/aggregate results file.*samples_<task>_<date>\.jsonl/);
  });

  it("finds <stem>_<date>.json (--output_path stem.json), and warns when only another run's results file is there", async () => {
    const dir = temp.dir();
    const samples = join(dir, `samples_gsm8k_${DATE}.jsonl`);
    copyFileSync(GSM, samples);
    copyFileSync(join(DIR, `results_${DATE}.json`), join(dir, `pythia_${DATE}.json`));
    const warnings: string[] = [];
    expect((await collect(samples, { onWarning: (w) => warnings.push(w) }))[0].model).toBe('EleutherAI/pythia-160m');
    expect(warnings).toEqual([]);

    const other = temp.dir();
    copyFileSync(GSM, join(other, `samples_gsm8k_${DATE}.jsonl`));
    copyFileSync(join(DIR, `results_${DATE}.json`), join(other, 'results_2024-04-30T09-00-00.000001.json'));
    await collect(join(other, `samples_gsm8k_${DATE}.jsonl`), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/no results file of the same run.*from results_2024-04-30T09-00-00\.000001\.json/)]);
  });

  it('reads a run whose results file holds NaN, and keeps samples with a NaN or missing metric as not analysable', async () => {
    const rows = await collect(join(PYTHON_NUMBERS, 'samples_nq_open_2024-06-02T09-30-00.000001.jsonl'));
    expect(rows.map((r) => [r.exampleId, r.score, r.analysable, r.unanalysableReason, r.source.line])).toEqual([
      ['0', 1, undefined, undefined, 1],
      ['1', 0, undefined, undefined, 2],
      ['2', undefined, false, 'no score: metric "exact_match" is NaN', 3],
      ['3', undefined, false, 'no score: metric "exact_match" is missing', 4],
    ]);
    expect(rows[0]).toMatchObject({ model: 'EleutherAI/pythia-70m', dataset: 'nq_open', outputText: ' Paris', correctAnswer: 'Paris' });
    expect(rows[2].metadata).toMatchObject({ lm_eval_metric: 'exact_match', lm_eval_filter: 'remove_whitespace', extracted_answer: 'two' });
  });

  it('refuses a --metric that no sample has, naming the metrics of the first sample', async () => {
    const error = await collect(GSM, { metric: 'bleu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${GSM}, field "bleu": metric "bleu" is in no sample of this file (the first sample has: exact_match)`,
    );
  });

  it('names the samples file when the results file is missing, and a line that is not JSON', async () => {
    const dir = temp.dir();
    const lonely = join(dir, `samples_gsm8k_${DATE}.jsonl`);
    copyFileSync(GSM, lonely);
    await expect(collect(lonely)).rejects.toThrow(/no results_2024-05-01T12-00-00.123456.json beside this samples file/);
    copyFileSync(join(DIR, `results_${DATE}.json`), join(dir, `results_${DATE}.json`));
    writeFileSync(lonely, '{"doc_id": 0, "exact_match": 1, "filter": "strict-match"}\n{not json\n');
    await expect(collect(lonely)).rejects.toThrow(`${lonely}, line 2: the line is not valid JSON`);
  });
});
