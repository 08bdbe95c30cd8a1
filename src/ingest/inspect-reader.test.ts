import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { InputError } from '../errors.js';
import { inspectReader } from './inspect-reader.js';
import { scoreValue } from './inspect-sample.js';

const DIR = join(import.meta.dirname, '../../test/fixtures/formats/inspect');
const JSON_LOG = join(DIR, 'mmlu_0_shot.json');
const EVAL_LOG = join(DIR, 'theory_of_mind.eval');
/** A cancelled log: scored samples, one that hit its message limit unscored, one cancelled, one scored NaN. */
const UNSCORED_JSON = join(DIR, 'unscored_samples.json');
const UNSCORED_EVAL = join(DIR, 'unscored_samples.eval');

const collect = predictionCollector(inspectReader.read);

const temp = tempDirsRemovedAfterEach('inspect-');

describe('inspectReader', () => {
  it('detects .eval archives and Inspect .json logs, not other JSON', () => {
    expect(inspectReader.detect(EVAL_LOG, readFileSync(EVAL_LOG).subarray(0, 4096), false)).toBe(true);
    expect(inspectReader.detect(JSON_LOG, readFileSync(JSON_LOG).subarray(0, 4096), false)).toBe(true);
    expect(inspectReader.detect('/x/results.json', Buffer.from('{"evalId": "e", "results": {"version": 3}}'), false)).toBe(false);
    expect(inspectReader.detect('/x/a.eval', Buffer.from('hello'), false)).toBe(false);
  });

  it('keeps epochs apart, appends lettered choices and maps the letter target', async () => {
    const rows = await collect(JSON_LOG);
    expect(rows.map((r) => r.exampleId)).toEqual(['q1#epoch1', 'q1#epoch2', '7#epoch1', '7#epoch2', 'q9#epoch1']);
    const [first, second] = rows;
    expect(first.model).toBe('openai/gpt-4o-mini');
    expect(first.dataset).toBe('mmlu_0_shot');
    expect(first.inputText).toBe('Which planet is known as the Red Planet?\n\nA) Venus\nB) Mars\nC) Jupiter\nD) Saturn');
    expect(first.correctAnswer).toBe('B) Mars');
    expect(first.outputText).toBe('ANSWER: B');
    expect([first.score, second.score]).toEqual([1, 0]);
    expect(first.metadata).toMatchObject({ subject: 'astronomy', epoch: '1', inspect_scorer: 'choice', score_answer: 'B' });
    expect(first.source).toEqual({ file: JSON_LOG, line: 1 });
  });

  it('resolves attachments and flattens chat messages; reads output from the choice when completion is empty', async () => {
    const row = (await collect(JSON_LOG))[2];
    expect(row.inputText).toContain('system: Answer with a single letter.\n\nuser: Read the passage and answer.');
    expect(row.inputText).not.toContain('attachment://');
    expect(row.graderNote).toBe('The model chose B, which matches the target.');
    expect(row.outputText).toBe('ANSWER: B');
  });

  it('marks a sample that errored as not analysable, with the error', async () => {
    const row = (await collect(JSON_LOG))[4];
    expect(row.analysable).toBe(false);
    expect(row.unanalysableReason).toContain('429 Too Many Requests');
  });

  it('reads a .eval archive entry by entry with C/I/P as 1/0/0.5 and the first scorer by default', async () => {
    const rows = await collect(EVAL_LOG);
    expect(rows.map((r) => r.exampleId)).toEqual(['1', '2', '3']);
    expect(rows.map((r) => r.score)).toEqual([1, 0, 0.5]);
    expect(rows[0].model).toBe('anthropic/claude-3-5-haiku-latest');
    expect(rows[0].dataset).toBe('theory_of_mind');
    expect(rows[0].inputText.startsWith('user: Sally puts her ball')).toBe(true);
    expect(rows[1].graderNote).toContain('Sally does not know');
    expect(rows[2].metadata.score_match).toBe('0');
    const byMatch = await collect(EVAL_LOG, { metric: 'match' });
    expect(byMatch.map((r) => r.score)).toEqual([1, 0, 0]);
  });

  it('refuses a --metric that no sample has, naming the scorers of the log', async () => {
    await expect(collect(EVAL_LOG, { metric: 'f1' })).rejects.toThrow(
      `${EVAL_LOG}, field "scores": no sample has a score "f1" (check --metric; the log's scorers: model_graded_fact, match)`,
    );
  });

  it('converts score values', () => {
    expect(['C', 'I', 'P', 'N'].map(scoreValue)).toEqual([1, 0, 0.5, 0]);
    expect([true, false, 7, '0.25', { accuracy: 1 }, 'maybe'].map(scoreValue)).toEqual([1, 0, 7, 0.25, 1, undefined]);
    // As Inspect's value_to_float reads strings.
    expect(['yes', 'No', 'TRUE', 'false'].map(scoreValue)).toEqual([1, 0, 1, 0]);
    expect(scoreValue({ accuracy: 1, f1: 0.5 })).toBeUndefined();
  });

  it('reads one key of a dict-valued score: scorer.key, or the key alone when one scorer has it; never silently the first', async () => {
    const log = JSON.parse(readFileSync(JSON_LOG, 'utf8'));
    for (const sample of log.samples) {
      const accuracy = sample.scores?.choice?.value === 'C' ? 0.9 : 0.2;
      sample.scores = { ...sample.scores, rubric: { value: { helpfulness: 'yes', accuracy } } };
    }
    const file = temp.file('dict.json', JSON.stringify(log));
    const byKey = await collect(file, { metric: 'rubric.accuracy' });
    expect(byKey.slice(0, 2).map((r) => r.score)).toEqual([0.9, 0.2]);
    expect(byKey[0].metadata.inspect_scorer).toBe('rubric.accuracy');
    expect((await collect(file, { metric: 'helpfulness' }))[0].score).toBe(1);
    await expect(collect(file, { metric: 'rubric' })).rejects.toThrow(
      /field "samples\[0\].scores.rubric.value": the score has several values \(helpfulness, accuracy\); choose one with --metric rubric.helpfulness/,
    );
    await expect(collect(file, { metric: 'rubric.f1' })).rejects.toThrow(/no sample has a score "rubric.f1"/);
  });

  it('keeps epochs apart in a .json log without eval.config.epochs when a sample has epoch 2', async () => {
    const log = JSON.parse(readFileSync(JSON_LOG, 'utf8'));
    delete log.eval.config.epochs;
    const rows = await collect(temp.file('noepochs.json', JSON.stringify(log)));
    expect(rows.map((r) => r.exampleId)).toEqual(['q1#epoch1', 'q1#epoch2', '7#epoch1', '7#epoch2', 'q9#epoch1']);
    log.samples = log.samples.filter((s: { epoch: number }) => s.epoch === 1);
    const single = await collect(temp.file('single.json', JSON.stringify(log)));
    expect(single.map((r) => r.exampleId)).toEqual(['q1', '7', 'q9']);
  });

  it('gives clear errors for a log without a model and a non-zip .eval', async () => {
    const log = JSON.parse(readFileSync(JSON_LOG, 'utf8'));
    delete log.eval.model;
    await expect(collect(temp.file('a.json', JSON.stringify(log)))).rejects.toThrow(/field "eval.model": the eval header names no model/);
    await expect(collect(temp.file('b.eval', 'not a zip'))).rejects.toBeInstanceOf(InputError);
  });

  it.each([
    ['.json log', UNSCORED_JSON],
    ['.eval archive', UNSCORED_EVAL],
  ])('reads the scored samples of a %s and keeps unscored, cancelled and NaN-scored ones as not analysable', async (_kind, file) => {
    const rows = await collect(file);
    expect(rows.map((r) => [r.exampleId, r.score, r.analysable, r.unanalysableReason])).toEqual([
      ['a1', 1, undefined, undefined],
      ['a2', 0, undefined, undefined],
      ['a3', undefined, false, 'no score: the sample has no scores (it hit its message limit)'],
      ['a4', undefined, false, 'the sample failed: CancelledError: the sample was cancelled'],
      ['a5', undefined, false, 'no score: the score of scorer "match" is NaN'],
    ]);
    // Why generation stopped, from output.stop_reason: a2 was cut by its token limit.
    expect(rows.map((r) => r.finishReason)).toEqual(['stop', 'length', 'tool_calls', undefined, 'stop']);
    expect(rows.map((r) => r.source.line)).toEqual([1, 2, 3, 4, 5]);
  });
});
