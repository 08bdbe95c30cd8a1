import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorOf, tempDirsRemovedAfterEach } from '../../test/support/reader-tests.js';
import { withoutScore } from './not-analysable.js';
import type { Prediction } from './prediction.js';
import { collectInputs } from './read-inputs.js';
import { writePredictions } from './write-predictions.js';

const temp = tempDirsRemovedAfterEach('errormap-write-');

function prediction(exampleId: string, score: number): Prediction {
  return { dataset: 'd', exampleId, model: 'm', inputText: 'q', outputText: 'a', score, metadata: {}, source: { file: 'x', line: 2 } };
}

async function* stream(predictions: Prediction[]): AsyncGenerator<Prediction> {
  yield* predictions;
}

describe('writePredictions', () => {
  it.each(['csv', 'jsonl'])('writes a prediction with no score so that it reads back with no score and its reason (%s)', async (ext) => {
    const file = join(temp.dir(), `out.${ext}`);
    await writePredictions(stream([prediction('e1', 0), withoutScore(prediction('e2', 1), 'metric "acc"', Number.NaN)]), file);
    const { predictions } = await collectInputs([file]);
    expect(predictions.map((p) => [p.exampleId, p.score, p.analysable, p.unanalysableReason])).toEqual([
      ['e1', 0, undefined, undefined],
      ['e2', undefined, false, 'no score: metric "acc" is NaN'],
    ]);
  });

  it('still refuses an empty score in a CSV row that does not say it is not analysable', async () => {
    const file = temp.file('d.csv', 'example_id,model,input_text,output_text,score\ne1,m,q,a,\n');
    const error = await inputErrorOf(collectInputs([file]));
    expect(error.message).toContain(`${file}, line 2, field "score": score is empty`);
  });
});
