import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorOf, predictionCollector, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { jsonlReader, readJsonl } from './jsonl-reader.js';

const BAD = join(import.meta.dirname, '../../test/fixtures/bad');
const PYTHON_NUMBERS = join(import.meta.dirname, '../../test/fixtures/formats/jsonl/python-numbers.jsonl');

const readAll = predictionCollector(readJsonl);

const temp = tempDirsRemovedAfterEach('errormap-jsonl-');

describe('jsonl reader', () => {
  it('detects .jsonl and .ndjson files', () => {
    expect(jsonlReader.detect('x/arc.jsonl', Buffer.alloc(0), false)).toBe(true);
    expect(jsonlReader.detect('x/arc.ndjson', Buffer.alloc(0), false)).toBe(true);
    expect(jsonlReader.detect('x/arc.json', Buffer.alloc(0), false)).toBe(false);
  });

  it('reads objects line by line, with numbers as ids, null answers and nested extras as text', async () => {
    const file = temp.file(
      'arc.jsonl',
      [
        '\uFEFF{"example_id": 7, "model": "m1", "input_text": "q", "output_text": "", "score": "0.5", "correct_answer": null, "tags": ["a"]}',
        '',
        '{"example_id": "8", "model": "m1", "input_text": "q", "output_text": "a", "score": 1, "dataset": "arc_easy", "subject": "bio"}',
      ].join('\r\n'),
    );
    const [first, second] = await readAll(file);
    expect(first).toMatchObject({
      dataset: 'arc',
      exampleId: '7',
      outputText: '',
      score: 0.5,
      metadata: { tags: '["a"]' },
      source: { file, line: 1 },
    });
    expect(first.correctAnswer).toBeUndefined();
    expect(second).toMatchObject({ dataset: 'arc_easy', exampleId: '8', metadata: { subject: 'bio' }, source: { line: 3 } });
  });

  it.each([
    ['empty-model.jsonl', 2, 'model'],
    ['missing-score-key.jsonl', 1, 'score'],
  ])('rejects %s at line %i, field %s', async (name, line, field) => {
    const error = await inputErrorOf(readAll(join(BAD, name)));
    expect(error.message).toContain(name);
    expect(error.message).toContain(`line ${line}`);
    expect(error.message).toContain(`field "${field}"`);
  });

  it('rejects a line that is not a JSON object, naming the line', async () => {
    const error = await inputErrorOf(readAll(join(BAD, 'not-an-object.jsonl')));
    expect(error.message).toMatch(/not-an-object\.jsonl, line 3: .*an array, not a JSON object/);
  });

  it('rejects a line that is not valid JSON', async () => {
    const error = await inputErrorOf(readAll(join(BAD, 'invalid-json.jsonl')));
    expect(error.message).toMatch(/invalid-json\.jsonl, line 2: the line is not valid JSON/);
  });

  it('keeps rows whose score Python wrote as NaN, Infinity or -Infinity (or pandas as null) as not analysable, with the reason', async () => {
    const rows = await readAll(PYTHON_NUMBERS);
    expect(rows.map((r) => [r.exampleId, r.score, r.analysable, r.unanalysableReason])).toEqual([
      ['q1', 1, undefined, undefined],
      ['q2', undefined, false, 'no score: the score is NaN'],
      ['q3', undefined, false, 'no score: the score is null'],
      ['q4', undefined, false, 'no score: the score is Infinity, not a finite number'],
      ['q5', undefined, false, 'no score: the score is -Infinity, not a finite number'],
    ]);
    // The same words inside strings are text.
    expect(rows.map((r) => r.outputText)).toEqual(['4', 'NaN', '6', 'Infinity', '-1']);
  });

  it('still rejects a lower-case nan, which no JSON writer produces, naming the line', async () => {
    const error = await inputErrorOf(readAll(join(BAD, 'lowercase-nan.jsonl')));
    expect(error.message).toMatch(/^\S*lowercase-nan\.jsonl, line 2: the line is not valid JSON \(Unexpected token/);
  });

  it('gives INPUT_UNREADABLE for a missing file', async () => {
    const error = await inputErrorOf(readAll('/nonexistent/errormap/x.jsonl'));
    expect(error.code).toBe('INPUT_UNREADABLE');
  });
});
