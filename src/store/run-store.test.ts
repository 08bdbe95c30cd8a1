import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runFile } from './run-dir.js';
import { RunStore } from './run-store.js';
import { SCHEMA_SQL } from './schema.js';

describe('RunStore', () => {
  it('replaces a cached answer under the same key, so a re-asked call is not bought again on the next run', () => {
    const store = RunStore.open(mkdtempSync(join(tmpdir(), 'errormap-store-')));
    const cache = store.callCache();
    const usage = { inputTokens: 10, outputTokens: 5 };
    cache.put('k', { task: 'error_analysis', judge: 'j', response: { old: true }, usage });
    cache.put('k', { task: 'error_analysis', judge: 'j', response: { fresh: true }, usage });
    expect(cache.get('k')?.response).toEqual({ fresh: true });
    store.close();
  });

  it("keeps why generation stopped and each finding's precision, and adds those columns to an older database", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-store-'));
    const old = new Database(runFile(dir, 'database'));
    old.exec(
      SCHEMA_SQL.replace(',\n  finish_reason TEXT', '').replace(
        "  verified INTEGER NOT NULL DEFAULT 0,\n  precision TEXT NOT NULL DEFAULT '',\n",
        '',
      ),
    );
    old.close();
    const store = RunStore.open(dir);
    const base = { dataset: 'd', model: 'm', inputText: 'q', score: 0, metadata: {}, source: { file: 'f.csv', line: 2 } };
    async function* rows() {
      yield { ...base, exampleId: '1', outputText: 'cut he', finishReason: 'length' };
      yield { ...base, exampleId: '2', outputText: 'done.' };
    }
    await store.insertPredictionStream(rows());
    expect(store.predictionsOf('d', '1')[0].finishReason).toBe('length');
    expect(store.predictionsOf('d', '2')[0].finishReason).toBeUndefined();
    const finding = {
      detector: 'cut_off',
      family: 'No usable answer' as const,
      title: 't',
      summary: 's',
      evidence: 'e',
      mechanical: true,
      confidence: 0.9,
      verified: true,
      precision: 'held-out precision 1.00 [0.95, 1.00] over 71 firings',
    };
    store.replaceFindings(new Map([['f1', [finding]]]));
    expect(store.findings().get('f1')).toEqual([finding]);
    store.close();
  });

  it('clearing analyses also clears the taxonomy built on them: no stale nodes or assignments survive a rerun', () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-store-'));
    const store = RunStore.open(dir);
    const analysis = {
      failureId: 'f1',
      source: 'judge' as const,
      judge: 'p:m',
      criteria: [],
      hasError: true,
      errorTitle: 't',
      errorSummary: 's',
    };
    store.putAnalysis(analysis);
    store.putAnalysisFailure({ failureId: 'f2', reason: 'no answer' });
    const leaf = { id: 'c_leaf', name: 'Leaf', description: '', depth: 1, count: 1, share: 1, children: [], failureIds: ['f1'] };
    store.saveTaxonomy({ id: 'root', name: 'LLM Errors', description: '', depth: 0, count: 1, share: 1, children: [leaf] }, [
      { failureId: 'f1', leafId: 'c_leaf', path: ['c_leaf'] },
    ]);
    store.flushWrites();
    const nodeCount = () => {
      const db = new Database(runFile(dir, 'database'), { readonly: true });
      const { n } = db.prepare('SELECT count(*) AS n FROM taxonomy_nodes').get() as { n: number };
      db.close();
      return n;
    };
    expect([store.analyses().length, store.analysisFailures().length, store.assignments().length, nodeCount()]).toEqual([1, 1, 1, 2]);

    store.clearAnalyses();
    expect([store.analyses().length, store.analysisFailures().length, store.assignments().length, nodeCount()]).toEqual([0, 0, 0, 0]);
    store.close();
  });

  it('says so when the run directory is a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'errormap-store-')), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => RunStore.open(file)).toThrow(/is a file, not a run directory/);
  });
});
