import { copyFileSync, writeFileSync } from 'node:fs';
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

  it('names the file, line and field of a sample without the metric', async () => {
    const error = await collect(GSM, { metric: 'bleu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${GSM}, line 1, field "bleu": metric "bleu" is missing or not a number in this sample`);
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
