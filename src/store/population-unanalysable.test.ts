import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runFile } from './run-dir.js';
import { RunStore } from './run-store.js';
import { SCHEMA_SQL } from './schema.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run database as written before population.unanalysable existed: 2 analysable and 3 unanalysable failures of m on d. */
function writeOldDatabase(): void {
  dir = mkdtempSync(join(tmpdir(), 'errormap-old-db-'));
  const db = new Database(runFile(dir, 'database'));
  db.exec(SCHEMA_SQL.replace('  unanalysable INTEGER NOT NULL DEFAULT 0,\n', ''));
  const insert = db.prepare(
    `INSERT INTO predictions (key, dataset, example_id, model, input_text, output_text, score, metadata, source_file, source_line, analysable)
     VALUES (?, 'd', ?, 'm', 'q', 'a', ?, '{}', 'f.csv', 2, ?)`,
  );
  const rows: [number, number][] = [
    [0, 1],
    [0, 1],
    [0, 0],
    [0, 0],
    [0, 0],
    [1, 0], // unanalysable but above the threshold: not a failure
    [1, 1],
  ];
  for (const [i, [score, analysable]] of rows.entries()) insert.run(`k${i}`, `e${i}`, score, analysable);
  db.prepare('INSERT INTO population (dataset, model, predictions, failures, sampled, threshold) VALUES (?, ?, ?, ?, ?, ?)').run(
    'd',
    'm',
    7,
    5,
    2,
    0.5,
  );
  db.close();
}

describe('population.unanalysable in older run databases', () => {
  it('is recounted from the predictions when the database is opened read-only', () => {
    writeOldDatabase();
    const store = RunStore.open(dir, { readonly: true });
    try {
      expect(store.population()).toEqual([
        { dataset: 'd', model: 'm', predictions: 7, failures: 5, sampled: 2, threshold: 0.5, unanalysable: 3, unscored: 0 },
      ]);
    } finally {
      store.close();
    }
  });

  it('is added and filled in when the database is opened for writing', () => {
    writeOldDatabase();
    RunStore.open(dir).close();
    const db = new Database(runFile(dir, 'database'), { readonly: true });
    try {
      expect(db.prepare('SELECT unanalysable FROM population').get()).toEqual({ unanalysable: 3 });
    } finally {
      db.close();
    }
  });
});
