import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedPrediction, storeWith } from '../../test/support/prepared-store.js';
import type { Analysis } from '../contracts/analysis.js';
import { runFile } from '../store/run-dir.js';
import { writeRunFiles } from './run-files.js';

const prediction = (exampleId: string, model: string, score: number) => storedPrediction('math', exampleId, model, score);

describe('writeRunFiles', () => {
  it("writes each analysis's criteria from the run database, though the run passes analyses without them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-run-files-'));
    const predictions = [prediction('1', 'a', 0), prediction('1', 'b', 1), prediction('2', 'a', 0), prediction('2', 'b', 1)];
    const store = await storeWith(dir, predictions);
    const refs = store.failureRefs();
    const analyses: Analysis[] = refs.map((f, i) => ({
      failureId: f.id,
      source: 'judge',
      judge: 'openai:j',
      criteria: [{ criterion: `criterion ${i}`, present: true, quality: 'incorrect', evidence: '', comment: `comment ${i}` }],
      hasError: true,
      errorTitle: `Title ${i}`,
      errorSummary: `Summary ${i}`,
    }));
    for (const a of analyses) store.putAnalysis(a);

    await writeRunFiles({
      dir,
      taxonomy: { id: 'root', name: 'root', description: '', depth: 0, count: 2, share: 1, children: [] },
      failures: store,
      analyses: analyses.map(({ criteria: _inDatabase, ...outcome }) => outcome),
      analysisFailures: [],
      assignments: [],
    });
    store.close();

    const lines = readFileSync(runFile(dir, 'analyses'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(refs.map((r) => r.exampleId).sort()).toEqual(['1', '2']);
    expect(lines.map((l) => [l.failure_id, l.example_id, l.analysis.error_title, l.analysis.criteria])).toEqual(
      analyses.map((a, i) => [a.failureId, refs[i].exampleId, a.errorTitle, a.criteria]),
    );
  });

  it('names where an unanalysed failure comes from, and leaves it out of the errors and analyses files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-run-files-'));
    const predictions = [prediction('1', 'a', 0), prediction('1', 'b', 1), prediction('2', 'a', 0), prediction('2', 'b', 1)];
    const store = await storeWith(dir, predictions);
    const [analysed, failed] = store.failureRefs();
    const analysis: Analysis = {
      failureId: analysed.id,
      source: 'judge',
      judge: 'openai:j',
      criteria: [],
      hasError: true,
      errorTitle: 'T',
      errorSummary: 'S',
    };
    store.putAnalysis(analysis);
    store.putAnalysisFailure({ failureId: failed.id, reason: 'timed out' });

    await writeRunFiles({
      dir,
      taxonomy: { id: 'root', name: 'root', description: '', depth: 0, count: 1, share: 1, children: [] },
      failures: store,
      analyses: [analysis],
      analysisFailures: [{ failureId: failed.id, reason: 'timed out' }],
      assignments: [],
    });
    store.close();

    const csvLines = (role: 'errors' | 'unanalysed') => readFileSync(runFile(dir, role), 'utf8').trimEnd().split('\n');
    expect(csvLines('unanalysed')).toEqual([
      'failure_id,dataset,example_id,model,reason',
      `${failed.id},math,${failed.exampleId},a,timed out`,
    ]);
    expect(
      csvLines('errors')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual([analysed.id]);
    expect(
      readFileSync(runFile(dir, 'analyses'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).failure_id),
    ).toEqual([analysed.id]);
  });
});
