import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { datasetFromFileName, REQUIRED_FIELDS, rowToPrediction, unreadable } from './row-to-prediction.js';

const CTX = { file: 'data/mmlu.csv', line: 7 };
const ROW = { example_id: 'q1', model: 'm', input_text: 'question', output_text: 'answer', score: '1' };

/** The InputError rowToPrediction throws for `row`, or a test failure when it throws none. */
function refusal(row: Record<string, unknown>, ctx = CTX): InputError {
  try {
    rowToPrediction(row, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected rowToPrediction to refuse the row');
}

describe('rowToPrediction', () => {
  it('turns a reference-layout row into a prediction that points back to its file and line', () => {
    expect(rowToPrediction(ROW, CTX)).toEqual({
      dataset: 'mmlu',
      exampleId: 'q1',
      model: 'm',
      inputText: 'question',
      outputText: 'answer',
      score: 1,
      correctAnswer: undefined,
      metadata: {},
      source: { file: 'data/mmlu.csv', line: 7 },
    });
  });

  it('refuses a row without a required field, naming the field', () => {
    for (const field of REQUIRED_FIELDS) {
      const { [field]: _dropped, ...row } = ROW;
      const error = refusal(row);
      expect(error.message).toBe(`data/mmlu.csv, line 7, field "${field}": missing required field "${field}"`);
      expect(error.field).toBe(field);
    }
  });

  it('trims ids and model names, and refuses them empty', () => {
    const p = rowToPrediction({ ...ROW, example_id: '  q1 ', model: '\tm ' }, CTX);
    expect([p.exampleId, p.model]).toEqual(['q1', 'm']);
    expect(refusal({ ...ROW, example_id: '   ' }).message).toBe('data/mmlu.csv, line 7, field "example_id": example_id is empty');
    expect(refusal({ ...ROW, model: '' }).message).toBe('data/mmlu.csv, line 7, field "model": model is empty');
    expect(refusal({ ...ROW, model: null }).field).toBe('model');
  });

  it('refuses a score that is not a number, with the reader’s reason', () => {
    expect(refusal({ ...ROW, score: 'abc' }).message).toBe('data/mmlu.csv, line 7, field "score": score "abc" is not a decimal number');
    expect(refusal({ ...ROW, score: '' }).message).toBe('data/mmlu.csv, line 7, field "score": score is empty');
  });

  it('takes the dataset from --dataset, then a non-empty dataset column, then the file name', () => {
    expect(rowToPrediction({ ...ROW, dataset: ' gsm8k ' }, CTX).dataset).toBe('gsm8k');
    expect(rowToPrediction({ ...ROW, dataset: '  ' }, CTX).dataset).toBe('mmlu');
    expect(rowToPrediction({ ...ROW, dataset: 'gsm8k' }, { ...CTX, datasetOverride: 'mine' }).dataset).toBe('mine');
    expect(datasetFromFileName('/x/y/theoremqa.jsonl')).toBe('theoremqa');
  });

  it('keeps a reference answer when given, and none for an empty cell', () => {
    expect(rowToPrediction({ ...ROW, correct_answer: 'B' }, CTX).correctAnswer).toBe('B');
    expect(rowToPrediction({ ...ROW, correct_answer: ' ' }, CTX).correctAnswer).toBe(' ');
    expect(rowToPrediction({ ...ROW, correct_answer: '' }, CTX).correctAnswer).toBeUndefined();
    expect(rowToPrediction({ ...ROW, correct_answer: null }, CTX).correctAnswer).toBeUndefined();
  });

  it('keeps an empty output, a real failure (the model said nothing)', () => {
    expect(rowToPrediction({ ...ROW, output_text: '' }, CTX).outputText).toBe('');
  });

  it('puts unknown columns in metadata as text, skipping null cells', () => {
    const p = rowToPrediction({ ...ROW, subject: 'law', level: 3, hard: true, tags: ['a', 'b'], note: null, extra: undefined }, CTX);
    expect(p.metadata).toEqual({ subject: 'law', level: '3', hard: 'true', tags: '["a","b"]' });
    // a float column from a binary format may hold NaN or Infinity: kept as written, not as JSON's null
    expect(rowToPrediction({ ...ROW, a: Number.NaN, b: -Infinity }, CTX).metadata).toEqual({ a: 'NaN', b: '-Infinity' });
  });

  it('reads back the fields errormap import writes', () => {
    const carried = {
      ...ROW,
      analysable: ' FALSE ',
      unanalysable_reason: 'log-likelihood only',
      grader_note: 'judge disagreed',
      finish_reason: 'max_tokens',
    };
    expect(rowToPrediction(carried, CTX)).toMatchObject({
      analysable: false,
      unanalysableReason: 'log-likelihood only',
      graderNote: 'judge disagreed',
      finishReason: 'length',
      metadata: {},
    });
    expect(rowToPrediction({ ...ROW, analysable: '0' }, CTX).analysable).toBe(false);
    const plain = rowToPrediction({ ...ROW, analysable: 'true', unanalysable_reason: '', grader_note: '', finish_reason: '' }, CTX);
    expect(Object.keys(plain).filter((k) => ['analysable', 'unanalysableReason', 'graderNote', 'finishReason'].includes(k))).toEqual([]);
  });

  it('reads a numeric or boolean score cell from JSON as it is', () => {
    expect(rowToPrediction({ ...ROW, score: 0.25 }, CTX).score).toBe(0.25);
    expect(rowToPrediction({ ...ROW, score: false }, CTX).score).toBe(0);
    expect(rowToPrediction({ ...ROW, example_id: 12, model: true }, CTX)).toMatchObject({ exampleId: '12', model: 'true' });
  });
});

describe('unreadable', () => {
  it('names the file and the system’s reason, as INPUT_UNREADABLE', () => {
    const error = unreadable('in/missing.csv', new Error("ENOENT: no such file or directory, open 'in/missing.csv'"));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toBe("in/missing.csv: cannot be read (ENOENT: no such file or directory, open 'in/missing.csv')");
    expect(unreadable('f', 'EACCES').message).toBe('f: cannot be read (EACCES)');
  });
});
