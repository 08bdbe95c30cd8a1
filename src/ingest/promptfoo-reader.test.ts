import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { promptfooReader } from './promptfoo-reader.js';

const DIR = join(import.meta.dirname, '../../test/fixtures/formats/promptfoo');
const V3 = join(DIR, 'capitals-v3.json');
const V2 = join(DIR, 'translate-v2.json');
/** A result graded, one whose grading never ran, one cut at the token limit with a null (NaN) named score. */
const UNGRADED = join(DIR, '../promptfoo-ungraded/ungraded-v3.json');

const collect = predictionCollector(promptfooReader.read);

const temp = tempDirsRemovedAfterEach('promptfoo-');

describe('promptfooReader', () => {
  it('detects promptfoo output by content', () => {
    expect(promptfooReader.detect(V3, readFileSync(V3).subarray(0, 4096), false)).toBe(true);
    expect(promptfooReader.detect(V2, readFileSync(V2).subarray(0, 4096), false)).toBe(true);
    expect(promptfooReader.detect('/x/other.json', Buffer.from('{"version": 2, "status": "success", "eval": {}}'), false)).toBe(false);
  });

  it('reads every (test, provider) result with the description as dataset and the grader reason kept', async () => {
    const rows = await collect(V3);
    expect(rows.map((r) => `${r.model}|${r.exampleId}|${r.score}`)).toEqual([
      'gpt-4o-mini|test0|1',
      'gpt-4o-mini|test1|0',
      'gpt-4o-mini|test2|0',
      'claude-haiku|test0|1',
      'claude-haiku|test1|0',
      'claude-haiku|test2|1',
    ]);
    const failed = rows[1];
    expect(failed.dataset).toBe('Capital cities');
    expect(failed.inputText).toBe('What is the capital of Australia? Answer with the city name only.');
    expect(failed.outputText).toBe('Sydney');
    expect(failed.correctAnswer).toBe('Canberra');
    expect(failed.graderNote).toBe('Expected output to contain "Canberra"');
    expect(failed.analysable).toBeUndefined();
    expect(failed.metadata).toMatchObject({ var_country: 'Australia', provider_id: 'openai:gpt-4o-mini', test_description: 'Australia' });
    expect(failed.source).toEqual({ file: V3, line: 2 });
  });

  it('keeps provider errors apart as not analysable, never as model errors', async () => {
    const rows = await collect(V3);
    const errored = rows.filter((r) => r.analysable === false);
    expect(errored).toHaveLength(1);
    expect(errored[0].model).toBe('claude-haiku');
    expect(errored[0].unanalysableReason).toBe('provider error: API error: 529 Overloaded');
  });

  it('scores pass/fail by default: one failed assertion of two fails the test, the averaged score kept beside it', async () => {
    const rows = await collect(V3);
    expect(rows[2].score).toBe(0);
    expect(rows[2].metadata.promptfoo_score).toBe('0.5');
    expect((await collect(V3, { metric: 'success' }))[2].score).toBe(0);
  });

  it("--metric score takes promptfoo's weighted average of the assertions", async () => {
    const rows = await collect(V3, { metric: 'score' });
    expect(rows.map((r) => r.score)).toEqual([1, 0, 0.5, 1, 0, 1]);
  });

  it('does not claim lm-eval results files, which also open with "results" and carry a task "version"', () => {
    const lmEval =
      '{\n  "results": {\n    "arc_easy": {\n      "acc,none": 0.5\n    }\n  },\n  "configs": {\n    "arc_easy": {\n      "metadata": {\n        "version": 1.0\n      }\n    }\n  }\n}';
    expect(promptfooReader.detect('/out/m/results_2024-05-01T12-00-00.123456.json', Buffer.from(lmEval), false)).toBe(false);
  });

  it('reads an older summary: ids name the prompt, errors without grading are infrastructure errors, dataset from the file name', async () => {
    const rows = await collect(V2);
    expect(rows.map((r) => r.exampleId)).toEqual(['test0#prompt0', 'test1#prompt0', 'test0#prompt1', 'test1#prompt1']);
    expect(rows[0].dataset).toBe('translate-v2');
    expect(rows[0].model).toBe('openai:gpt-3.5-turbo');
    expect(rows.filter((r) => r.analysable === false).map((r) => r.unanalysableReason)).toEqual([
      'provider error: Request timed out after 30000 ms',
      'provider error: Request timed out after 30000 ms',
    ]);
  });

  it('names the record and field of a result without provider', async () => {
    const dir = temp.dir();
    const doc = JSON.parse(readFileSync(V3, 'utf8'));
    delete doc.results.results[3].provider;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));
    await expect(collect(file)).rejects.toThrow(`${file}, line 4, field "results.results[3].provider": the result names no provider`);
  });

  it('keeps a result without a score as not analysable and carries why generation stopped', async () => {
    const rows = await collect(UNGRADED);
    expect(rows.map((r) => [r.exampleId, r.score, r.analysable, r.unanalysableReason, r.finishReason])).toEqual([
      ['test0', 1, undefined, undefined, 'stop'],
      ['test1', undefined, false, 'no score: success, pass or score is missing', 'stop'],
      ['test2', 0, undefined, undefined, 'length'],
    ]);
  });

  it('keeps a result whose named score is missing or null as not analysable, and refuses a name no result has', async () => {
    const rows = await collect(UNGRADED, { metric: 'accuracy' });
    expect(rows.map((r) => [r.score, r.unanalysableReason])).toEqual([
      [1, undefined],
      [undefined, 'no score: named score "accuracy" is missing'],
      [undefined, 'no score: named score "accuracy" is null'],
    ]);
    await expect(collect(UNGRADED, { metric: 'acuracy' })).rejects.toThrow(
      `${UNGRADED}, field "namedScores": no result has the score "acuracy" (check --metric)`,
    );
  });
});
