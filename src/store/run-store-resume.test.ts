import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Analysis } from '../contracts/analysis.js';
import type { Finding } from '../detect/finding.js';
import type { Prediction } from '../ingest/prediction.js';
import { loadExampleOutcomes } from './example-outcomes.js';
import { runFile } from './run-dir.js';
import { RunStore } from './run-store.js';

/** What a run keeps between a kill and its resume, read back through a store opened afresh. */

const open: RunStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) if (s.db.open) s.close();
});

function newStore(dir = mkdtempSync(join(tmpdir(), 'errormap-resume-'))): RunStore {
  const store = RunStore.open(dir);
  open.push(store);
  return store;
}

function reopen(store: RunStore): RunStore {
  store.close();
  return newStore(store.dir);
}

function prediction(exampleId: string, model: string, score: number, extra: Partial<Prediction> = {}): Prediction {
  return {
    dataset: 'd',
    exampleId,
    model,
    inputText: `question ${exampleId}`,
    outputText: `${model} says`,
    score,
    metadata: {},
    source: { file: 'd.csv', line: 2 },
    ...extra,
  };
}

async function* stream<T>(items: T[], failAfter?: number): AsyncGenerator<T> {
  for (const [i, item] of items.entries()) {
    if (i === failAfter) throw new Error('input broke off');
    yield item;
  }
}

describe('run store: predictions', () => {
  it('keeps every field of a prediction, sorted by dataset, example and model', () => {
    const store = newStore();
    const full = prediction('e1', 'b', 0.5, {
      correctAnswer: 'B',
      metadata: { subject: 'law' },
      analysable: false,
      graderNote: 'judge unsure',
      finishReason: 'length',
      source: { file: 'in.csv', line: 9 },
    });
    expect(store.replacePredictions([prediction('e2', 'a', 1), full, prediction('e1', 'a', 0)])).toBe(3);
    const again = reopen(store);
    expect([...again.predictions()].map((p) => `${p.exampleId}/${p.model}`)).toEqual(['e1/a', 'e1/b', 'e2/a']);
    expect(again.predictionsOf('d', 'e1')).toEqual([
      { ...prediction('e1', 'a', 0), correctAnswer: undefined, analysable: true, graderNote: undefined },
      full,
    ]);
  });

  it('streams predictions in batches, and replaces the previous ones only once the input was read whole', async () => {
    const store = newStore();
    store.replacePredictions([prediction('old', 'a', 1)]);
    const seen: string[] = [];
    let replacing = 0;
    const rows = ['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => prediction(id, 'a', 0));
    const n = await store.insertPredictionStream(
      stream(rows),
      (p) => seen.push(p.exampleId),
      () => replacing++,
      2,
    );
    expect([n, seen.length, replacing]).toEqual([5, 5, 1]);
    expect([...store.predictions()].map((p) => p.exampleId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);

    await expect(store.insertPredictionStream(stream([prediction('x', 'a', 0), prediction('y', 'a', 0)], 1))).rejects.toThrow(
      'input broke off',
    );
    expect([...store.predictions()].map((p) => p.exampleId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    // the half-read generation is gone, not left in the connection
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_temp_master WHERE name = 'next_predictions'").get()).toEqual({ n: 0 });
  });

  it('gives other I/O a turn while a long input is read (the judge probe goes out meanwhile)', async () => {
    const store = newStore();
    let readWhenTimerFired: number | undefined;
    let read = 0;
    // An input whose rows arrive as microtasks only, for well over the 10 ms between turns.
    async function* busy(): AsyncGenerator<Prediction> {
      const until = performance.now() + 60;
      for (let i = 0; performance.now() < until || i < 10; i++) {
        read = i + 1;
        yield prediction(`e${i}`, 'a', 0);
      }
    }
    setTimeout(() => {
      readWhenTimerFired = read;
    }, 0);
    const total = await store.insertPredictionStream(busy());
    expect(readWhenTimerFired).toBeGreaterThan(0);
    expect(readWhenTimerFired).toBeLessThan(total);
  });

  it('reads into a new directory in place, and keeps none of an input that broke off', async () => {
    const store = newStore();
    await expect(
      store.insertPredictionStream(
        stream([prediction('x', 'a', 0), prediction('y', 'a', 0)], 1),
        () => {},
        () => {},
        1,
      ),
    ).rejects.toThrow('input broke off');
    expect([...reopen(store).predictions()]).toEqual([]);
    const fresh = newStore();
    expect(await fresh.insertPredictionStream(stream([prediction('e1', 'a', 0), prediction('e2', 'a', 1)]))).toBe(2);
    expect([...reopen(fresh).predictions()].map((p) => p.exampleId)).toEqual(['e1', 'e2']);
  });
});

describe('run store: preparation', () => {
  it('keeps sampled failures in their order, marks predictions below the threshold failed, and the population', () => {
    const store = newStore();
    const rows = [
      prediction('e1', 'a', 0, { metadata: { subject: 'law', level: '1' } }),
      prediction('e2', 'a', 0.5),
      prediction('e3', 'a', 0),
    ];
    store.replacePredictions(rows);
    const failures = [
      { ...rows[2], id: 'f3', threshold: 0.5 },
      { ...rows[0], id: 'f1', threshold: 0.5 },
    ];
    const population = [
      { dataset: 'd', model: 'a', predictions: 3, failures: 2, sampled: 2, threshold: 0.5, unanalysable: 0, unscored: 0 },
    ];
    store.savePreparation(failures, population);
    const again = reopen(store);
    expect(again.failureRefs()).toEqual([
      { id: 'f3', threshold: 0.5, dataset: 'd', exampleId: 'e3', model: 'a' },
      { id: 'f1', threshold: 0.5, dataset: 'd', exampleId: 'e1', model: 'a' },
    ]);
    expect(again.failures().map((f) => [f.id, f.outputText])).toEqual([
      ['f3', 'a says'],
      ['f1', 'a says'],
    ]);
    expect(again.failures({ texts: false }).map((f) => [f.id, f.inputText, f.outputText, f.correctAnswer])).toEqual([
      ['f3', '', '', undefined],
      ['f1', '', '', undefined],
    ]);
    // streamed one row at a time for the run's files, texts included
    expect([...again.failuresInOrder()].map((f) => [f.id, f.exampleId, f.inputText, f.threshold])).toEqual([
      ['f3', 'e3', 'question e3', 0.5],
      ['f1', 'e1', 'question e1', 0.5],
    ]);
    // a new preparation replaces the previous one whole
    again.savePreparation([{ ...rows[1], id: 'f2', threshold: 0.6 }], [{ ...population[0], threshold: 0.6, failures: 3, sampled: 1 }]);
    expect(again.failureRefs().map((f) => f.id)).toEqual(['f2']);
    expect(again.population()).toEqual([{ ...population[0], threshold: 0.6, failures: 3, sampled: 1 }]);
    // saved in slices, whatever order the slices land in: each failure keeps its place in the sample
    const three = [...failures, { ...rows[1], id: 'f2', threshold: 0.5 }];
    again.savePreparation(three.slice(0, 1), population);
    again.appendFailures(three.slice(2), 2);
    again.appendFailures(three.slice(1, 2), 1);
    expect(again.failureRefs().map((f) => f.id)).toEqual(['f3', 'f1', 'f2']);
    again.savePreparation(failures, population);
    expect(again.failureMetadataKeys()).toEqual(['level', 'subject']);
    expect(again.population()).toEqual(population);
    // the score at the threshold (e2, 0.5) is a success
    again.flushWrites();
    expect(loadExampleOutcomes(again.dir).map((o) => [o.exampleId, o.failed])).toEqual([
      ['e1', true],
      ['e2', false],
      ['e3', true],
    ]);
    const pool = again.referencePool({ d: 0.5 });
    expect(pool.correctFor('d', 'e2').map((p) => p.model)).toEqual(['a']);
    expect(pool.correctFor('d', 'e1')).toEqual([]);
    expect(pool.allFor('d', 'e1')).toHaveLength(1);
  });
});

describe('run store: writes and the file', () => {
  const call = { task: 'error_analysis' as const, judge: 'j', response: {}, usage: { inputTokens: 1, outputTokens: 1 } };
  const committed = (dir: string) => {
    const reader = new Database(runFile(dir, 'database'), { readonly: true });
    const { n } = reader.prepare('SELECT count(*) AS n FROM judge_calls').get() as { n: number };
    reader.close();
    return n;
  };

  it('commits a queued answer within moments, and a full batch at once', async () => {
    const store = newStore();
    const cache = store.callCache();
    cache.put('one', call);
    expect(committed(store.dir)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(committed(store.dir)).toBe(1);
    for (let i = 0; i < 255; i++) cache.put(`k${i}`, call);
    expect(committed(store.dir)).toBe(1);
    cache.put('k255', call);
    expect(committed(store.dir)).toBe(257);
  });

  it('leaves one tidy file when closed, and flushing after that is harmless', () => {
    const store = newStore();
    store.callCache().put('k', call);
    store.close();
    expect(existsSync(`${runFile(store.dir, 'database')}-wal`)).toBe(false);
    expect(() => store.flushWrites()).not.toThrow();
    expect(committed(store.dir)).toBe(1);
  });

  it('until replaced, leaves an existing database in its journal mode; a plain open switches it to WAL', () => {
    const dir = newStore().dir;
    open.pop()?.close();
    const header = () => [...readFileSync(runFile(dir, 'database')).subarray(18, 20)];
    expect(header()).toEqual([1, 1]); // rollback journal
    const untouched = RunStore.open(dir, { untilReplaced: true });
    expect(header()).toEqual([1, 1]);
    untouched.close();
    const wal = RunStore.open(dir);
    expect(header()).toEqual([2, 2]);
    wal.close();
  });
});

describe('run store: meta and stages', () => {
  it('keeps the last value of a key, and nothing for an unknown one', () => {
    const store = newStore();
    store.setMeta('settings', { seed: 1 });
    store.setMeta('settings', { seed: 2 });
    store.putStage('taxonomy:abc', 'taxonomy', { nodes: 3 });
    store.putStage('taxonomy:abc', 'taxonomy', { nodes: 4 });
    const again = reopen(store);
    expect(again.getMeta('settings')).toEqual({ seed: 2 });
    expect(again.getMeta('missing')).toBeUndefined();
    expect(again.getStage('taxonomy:abc')).toEqual({ nodes: 4 });
    expect(again.getStage('missing')).toBeUndefined();
  });
});

describe('run store: judge call cache', () => {
  const call = (n: number, costUsd?: number) => ({
    task: 'error_analysis' as const,
    judge: 'openai:gpt',
    response: { n },
    usage: { inputTokens: 10 * n, outputTokens: n },
    costUsd,
  });

  it('answers a queued call at once and a committed one after a kill-free reopen, with its cost', () => {
    const store = newStore();
    const cache = store.callCache();
    cache.put('k1', call(1, 0.25));
    cache.put('k2', call(2));
    // queued, not committed yet: still an answer for this store
    expect(cache.get('k1')).toEqual(call(1, 0.25));
    expect(store.countCalls()).toBe(2);
    expect(store.paidUsd()).toBe(0.25);
    const again = reopen(store).callCache();
    expect(again.get('k1')).toEqual(call(1, 0.25));
    expect(again.get('k2')).toEqual({ ...call(2), costUsd: undefined });
    expect(again.get('k3')).toBeUndefined();
  });

  it('costs nothing when no answer had a price', () => {
    expect(newStore().paidUsd()).toBe(0);
  });
});

describe('run store: analyses and findings', () => {
  const analysis = (failureId: string, extra: Partial<Analysis> = {}): Analysis => ({
    failureId,
    source: 'judge',
    judge: 'openai:gpt',
    criteria: [{ criterion: 'c', present: true, quality: 'correct', evidence: 'e', comment: '' }],
    hasError: true,
    errorTitle: 't',
    errorSummary: 's',
    ...extra,
  });
  const finding = (detector: string, confidence: number): Finding => ({
    detector,
    family: 'No usable answer',
    title: detector,
    summary: 's',
    evidence: 'e',
    mechanical: false,
    confidence,
    verified: false,
    precision: '',
  });

  it('keeps analyses by failure id, the last one of a failure winning', () => {
    const store = newStore();
    store.putAnalysis(analysis('f2', { hasError: false, source: 'detector', detector: 'cut_off', fixedPath: ['A', 'B'] }));
    store.putAnalysis(analysis('f1'));
    store.putAnalysis(analysis('f1', { errorTitle: 'second' }));
    store.putAnalysisFailure({ failureId: 'f3', reason: 'first' });
    store.putAnalysisFailure({ failureId: 'f3', reason: 'timeout' });
    const again = reopen(store);
    expect(again.analyses()).toEqual([
      { ...analysis('f1', { errorTitle: 'second' }), detector: undefined, fixedPath: undefined },
      analysis('f2', { hasError: false, source: 'detector', detector: 'cut_off', fixedPath: ['A', 'B'] }),
    ]);
    expect(again.analysisFailures()).toEqual([{ failureId: 'f3', reason: 'timeout' }]);
    // charts read no criteria: they are left out rather than parsed
    expect(again.analyses({ criteria: false }).map((a) => [a.failureId, a.criteria, a.errorTitle])).toEqual([
      ['f1', [], 'second'],
      ['f2', [], 't'],
    ]);
  });

  it('keeps findings per failure, most confident first, and clears them', () => {
    const store = newStore();
    store.putFindings('f1', [finding('a_low', 0.5), finding('b_high', 0.9)]);
    store.putFindings('f2', []);
    const again = reopen(store);
    expect([...again.findings()]).toEqual([['f1', [finding('b_high', 0.9), finding('a_low', 0.5)]]]);
    again.replaceFindings(new Map([['f9', [finding('z', 0.1)]]]));
    again.replaceFindings(new Map([['f8', [finding('y', 0.2)]]]));
    expect([...again.findings().keys()]).toEqual(['f8']);
    again.putFindings('f2', [finding('x', 1)]);
    again.clearFindings();
    expect(again.findings().size).toBe(0);
  });
});
