import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withoutScore } from '../ingest/not-analysable.js';
import type { Prediction } from '../ingest/prediction.js';
import { prepare } from '../prepare/prepare.js';
import { loadExampleOutcomes } from './example-outcomes.js';
import { runFile } from './run-dir.js';
import { RunStore } from './run-store.js';
import { SCHEMA_SQL } from './schema.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The schema as written before unscored predictions were stored as such (score NOT NULL, no scored column). */
const SCHEMA_BEFORE = SCHEMA_SQL.replace(',\n  scored INTEGER NOT NULL DEFAULT 1,\n  unanalysable_reason TEXT', '').replace(
  '  unscored INTEGER NOT NULL DEFAULT 0,\n',
  '',
);

function prediction(exampleId: string, model: string, score: number): Prediction {
  return { dataset: 'd', exampleId, model, inputText: 'q', outputText: 'a', score, metadata: {}, source: { file: 'f.csv', line: 2 } };
}

async function* stream(predictions: Prediction[]): AsyncGenerator<Prediction> {
  yield* predictions;
}

const PREDICTIONS = [
  prediction('e1', 'a', 1),
  prediction('e1', 'b', 0),
  withoutScore(prediction('e2', 'a', 1), 'metric "acc"', Number.NaN),
  prediction('e2', 'b', 0),
];

describe('unscored predictions in the run database', () => {
  it.each([
    ['a new database', SCHEMA_SQL],
    ['a database written before they were stored apart', SCHEMA_BEFORE],
  ])('keep no score and their reason, are never failed, and are counted in the population (%s)', async (_kind, schema) => {
    dir = mkdtempSync(join(tmpdir(), 'errormap-unscored-'));
    const old = new Database(runFile(dir, 'database'));
    old.exec(schema);
    old.close();
    const store = RunStore.open(dir);
    try {
      await store.insertPredictionStream(stream(PREDICTIONS));
      const prepared = prepare([...store.predictions()], { ratio: 1 });
      store.savePreparation(prepared.failures, prepared.population);
      expect(store.predictionsOf('d', 'e2').map((p) => [p.model, p.score, p.analysable, p.unanalysableReason])).toEqual([
        ['a', undefined, false, 'no score: metric "acc" is NaN'],
        ['b', 0, true, undefined],
      ]);
      expect(store.population()).toEqual([
        { dataset: 'd', model: 'a', predictions: 1, failures: 0, sampled: 0, threshold: 0.23, unanalysable: 0, unscored: 1 },
        { dataset: 'd', model: 'b', predictions: 2, failures: 2, sampled: 2, threshold: 0.23, unanalysable: 0, unscored: 0 },
      ]);
      expect(store.referencePool(prepared.thresholds).correctFor('d', 'e2')).toEqual([]);
    } finally {
      store.close();
    }
    // Neither failed nor correct: a comparison has no outcome for it.
    expect(loadExampleOutcomes(dir).map((o) => [o.exampleId, o.model, o.failed])).toEqual([
      ['e1', 'a', false],
      ['e1', 'b', true],
      ['e2', 'b', true],
    ]);
  });

  it('read from a database written before them, opened read-only, every prediction has its score', () => {
    expect(SCHEMA_BEFORE).not.toMatch(/\b(scored|unscored|unanalysable_reason)\b/);
    dir = mkdtempSync(join(tmpdir(), 'errormap-unscored-'));
    const db = new Database(runFile(dir, 'database'));
    db.exec(SCHEMA_BEFORE);
    db.prepare(
      `INSERT INTO predictions (key, dataset, example_id, model, input_text, output_text, score, metadata, source_file, source_line)
       VALUES ('k', 'd', 'e1', 'm', 'q', 'a', 0, '{}', 'f.csv', 2)`,
    ).run();
    db.prepare('INSERT INTO population (dataset, model, predictions, failures, sampled, threshold) VALUES (?, ?, ?, ?, ?, ?)').run(
      'd',
      'm',
      1,
      1,
      0,
      0.5,
    );
    db.close();
    const store = RunStore.open(dir, { readonly: true });
    try {
      expect(store.predictionsOf('d', 'e1').map((p) => p.score)).toEqual([0]);
      expect(store.population().map((p) => p.unscored)).toEqual([0]);
    } finally {
      store.close();
    }
    expect(loadExampleOutcomes(dir).map((o) => o.failed)).toEqual([true]);
  });
});
