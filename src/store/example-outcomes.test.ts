import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedPrediction, storeWith } from '../../test/support/prepared-store.js';
import { loadExampleOutcomes } from './example-outcomes.js';

const prediction = storedPrediction;

describe('loadExampleOutcomes', () => {
  it("marks a prediction failed exactly when it scored below its own dataset's threshold", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-outcomes-'));
    const predictions = [
      prediction('math', '1', 'a', 0),
      prediction('math', '1', 'b', 1),
      prediction('math', '2', 'a', 0.35), // math's threshold: 0.7 × mean 0.5875 ≈ 0.411
      prediction('math', '2', 'b', 1),
      prediction('chat', '1', 'a', 4), // chat's threshold: 0.7 × mean 6 = 4.2
      prediction('chat', '1', 'b', 8),
    ];
    (await storeWith(dir, predictions)).close();

    const failed = loadExampleOutcomes(dir)
      .filter((o) => o.failed)
      .map((o) => `${o.dataset}/${o.exampleId}/${o.model}`);
    expect(failed).toEqual(['chat/1/a', 'math/1/a', 'math/2/a']);
  });

  it('keeps reading a run whose preparation was never saved: nothing counts as failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-outcomes-'));
    (await storeWith(dir, [prediction('math', '1', 'a', 0)], { prepared: false })).close();
    expect(loadExampleOutcomes(dir)).toEqual([{ dataset: 'math', exampleId: '1', model: 'a', failed: false, reference: 'ref' }]);
  });
});
