import { existsSync, mkdirSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Analysis, AnalysisFailure, Criterion } from '../contracts/analysis.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { Finding } from '../detect/finding.js';
import { ConfigError, ErrormapError, fromSystemError } from '../errors.js';
import type { Prediction } from '../ingest/prediction.js';
import { type PredictionOutcome, predictionKey } from '../ingest/prediction.js';
import type { CachedCall, CallCache } from '../judge/judge.js';
import { asFailure, type Failure, type FailureRef, type PopulationStats, type ReferencePool } from '../prepare/failure.js';
import { isReference } from '../prepare/reference-pool.js';
import { runFile } from './run-dir.js';
import { SCHEMA_SQL, UNANALYSABLE_FROM_PREDICTIONS } from './schema.js';

/** Queued row writes committed together (see RunStore.write). */
const WRITE_BATCH = 256;
const FLUSH_AFTER_MS = 25;
/** Longest stretch of reading without a turn for other I/O (the judge probe, the progress display). */
const YIELD_EVERY_MS = 10;
/** The prediction columns a reader fills (the others keep their defaults). */
const PREDICTION_COLUMNS =
  'key, dataset, example_id, model, input_text, output_text, score, correct_answer, metadata, source_file, source_line, analysable, grader_note, finish_reason, scored, unanalysable_reason';

/** A failure's place in the taxonomy: node ids from the top-level category down to the leaf. */
export interface Assignment {
  failureId: string;
  leafId: string;
  path: string[];
}

interface PredictionRow {
  key: string;
  dataset: string;
  example_id: string;
  model: string;
  input_text: string;
  output_text: string;
  score: number;
  correct_answer: string | null;
  metadata: string;
  source_file: string;
  source_line: number;
  analysable: number;
  grader_note: string | null;
  /** Missing in a read-only database written before the column existed. */
  finish_reason?: string | null;
  /** 0 when the prediction has no usable score; missing in a database written before (every score was used). */
  scored?: number;
  /** Missing in a database written before the column existed. */
  unanalysable_reason?: string | null;
}

function rowToPrediction(r: PredictionRow): Prediction {
  return {
    dataset: r.dataset,
    exampleId: r.example_id,
    model: r.model,
    inputText: r.input_text,
    outputText: r.output_text,
    score: r.scored === 0 ? undefined : r.score,
    correctAnswer: r.correct_answer ?? undefined,
    metadata: JSON.parse(r.metadata) as Record<string, string>,
    source: { file: r.source_file, line: r.source_line },
    analysable: r.analysable === 1,
    graderNote: r.grader_note ?? undefined,
    ...(r.finish_reason ? { finishReason: r.finish_reason } : {}),
    ...(r.unanalysable_reason ? { unanalysableReason: r.unanalysable_reason } : {}),
  };
}

/** True when the table has the column (a database written before a column was added has not, when read only). */
export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
}

/** Adds population.unanalysable to a database written before it existed, filled in from the predictions. */
function addPopulationUnanalysable(db: Database.Database): void {
  if (hasColumn(db, 'population', 'unanalysable')) return;
  db.transaction(() => {
    db.exec('ALTER TABLE population ADD COLUMN unanalysable INTEGER NOT NULL DEFAULT 0');
    if (hasColumn(db, 'predictions', 'analysable')) db.exec(`UPDATE population SET unanalysable = ${UNANALYSABLE_FROM_PREDICTIONS}`);
  })();
}

/** Columns added after the first release: a database written before them gains them, empty. */
const ADDED_COLUMNS: ReadonlyArray<[table: string, column: string, definition: string]> = [
  ['predictions', 'finish_reason', 'TEXT'],
  ['findings', 'verified', 'INTEGER NOT NULL DEFAULT 0'],
  ['findings', 'precision', "TEXT NOT NULL DEFAULT ''"],
  // Before these, a prediction with no score was stored with score 0 (and counted as a failure).
  ['predictions', 'scored', 'INTEGER NOT NULL DEFAULT 1'],
  ['predictions', 'unanalysable_reason', 'TEXT'],
  ['population', 'unscored', 'INTEGER NOT NULL DEFAULT 0'],
];

function addMissingColumns(db: Database.Database): void {
  for (const [table, column, definition] of ADDED_COLUMNS) {
    if (!hasColumn(db, table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
}

/**
 * The run database: the single source of truth of a run directory.
 * WAL mode and one transaction per finished unit of work make a kill at any moment safe.
 */
/** A sampled failure as saved: its prediction's key fields, its id and its dataset's threshold. */
export type SavedFailure = PredictionOutcome & { id: string; threshold: number };

export class RunStore {
  readonly db: Database.Database;
  readonly dir: string;

  private readonly statements = new Map<string, Database.Statement>();
  /** Row writes of finished work (analyses, judge answers), committed together in one short transaction. */
  private pendingWrites: (() => void)[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** Judge answers queued but not yet committed: already answers for every callCache() of this store. */
  private readonly queuedCalls = new Map<string, CachedCall>();

  private constructor(dir: string, db: Database.Database) {
    this.dir = dir;
    this.db = db;
  }

  /**
   * `untilReplaced`: open for writing but leave an existing file byte-for-byte as it is until
   * `insertPredictionStream` replaces the predictions (a run whose input turns out bad changes nothing).
   */
  static open(dir: string, options: { readonly?: boolean; untilReplaced?: boolean } = {}): RunStore {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(`${dir} is a file, not a run directory`);
    if (!options.readonly) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw fromSystemError(e, `cannot create the run directory ${dir}`, 'OUTPUT_UNWRITABLE') ?? e;
      }
    }
    let db: Database.Database;
    try {
      db = new Database(runFile(dir, 'database'), { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (e) {
      throw new ErrormapError('RUN_INVALID', `${runFile(dir, 'database')}: cannot open the run database (${(e as Error).message})`);
    }
    if (!options.readonly) {
      if (!options.untilReplaced) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // One transaction: in rollback-journal mode each CREATE on its own is synced to disk (up to 0.1 s for a new run).
      db.transaction(() => {
        db.exec(SCHEMA_SQL);
        addPopulationUnanalysable(db);
        addMissingColumns(db);
      })();
    }
    return new RunStore(dir, db);
  }

  /** A prepared statement, prepared once per connection: these run once per prediction or failure. */
  private statement(sql: string): Database.Statement {
    let found = this.statements.get(sql);
    // Stryker disable next-line ConditionalExpression: preparing again each time only costs time
    if (!found) {
      found = this.db.prepare(sql);
      this.statements.set(sql, found);
    }
    return found;
  }

  /**
   * Queues one row write; the queue commits in one transaction when it holds WRITE_BATCH rows or
   * FLUSH_AFTER_MS after its first row, so hundreds of answers a second cost a few commits, and a
   * kill loses at most the last few milliseconds of answers (asked again on resume).
   */
  private write(run: () => void): void {
    this.pendingWrites.push(run);
    if (this.pendingWrites.length >= WRITE_BATCH) this.flushWrites();
    else this.flushTimer ??= setTimeout(() => this.flushWrites(), FLUSH_AFTER_MS).unref();
  }

  /** Commits every queued write now. */
  flushWrites(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingWrites.length === 0 || !this.db.open) return;
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    this.db.transaction(() => {
      for (const run of writes) run();
    })();
  }

  close(): void {
    this.flushWrites();
    // Leave one tidy file behind (no -wal/-shm) when nothing else has the database open.
    if (!this.db.readonly) {
      try {
        this.db.pragma('journal_mode = DELETE');
      } catch {
        // Another connection (a viewer) still reads it: WAL stays, which is just as safe.
      }
    }
    this.db.close();
  }

  // ---- meta -------------------------------------------------------------
  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  // ---- predictions and failures ------------------------------------------
  /** Replaces all predictions and the derived preparation (failures, population) in one transaction. */
  replacePredictions(predictions: Iterable<Prediction>): number {
    let n = 0;
    this.db.transaction(() => {
      this.clearPredictions();
      for (const p of predictions) {
        this.insertPrediction(p);
        n++;
      }
    })();
    return n;
  }

  /**
   * Streams predictions into a new generation, in batched transactions, so inputs larger than memory
   * can be read; `onEach` sees every prediction on its way (the pipeline keeps only its outcome).
   * A run directory that already holds predictions gets them in a temporary table outside the run's
   * file: the previous predictions, failures and everything derived from them stay untouched until the
   * whole input has been read, and are then replaced in one transaction. A read that fails leaves the
   * previous run as it was. A directory without predictions gets them in place (the copy would be the
   * read's largest write), and loses them again if the read fails.
   */
  async insertPredictionStream(
    source: AsyncIterable<Prediction>,
    onEach: (p: Prediction) => void = () => {},
    /** Called once the input has been read whole, just before it replaces the previous predictions. */
    beforeReplace: () => void = () => {},
    batchSize = 2000,
  ): Promise<number> {
    const inPlace = this.db.prepare('SELECT 1 FROM predictions LIMIT 1').get() === undefined;
    const table = inPlace ? 'main.predictions' : 'temp.next_predictions';
    // In place, there is nothing to keep as it was: WAL from the start makes each batch's commit cheaper.
    if (inPlace) this.db.pragma('journal_mode = WAL');
    else {
      this.db.exec(
        'DROP TABLE IF EXISTS temp.next_predictions; CREATE TEMP TABLE next_predictions AS SELECT * FROM main.predictions WHERE 0',
      );
    }
    const insertBatch = this.db.transaction((batch: Prediction[]) => {
      for (const p of batch) this.insertPrediction(p, table);
    });
    let batch: Prediction[] = [];
    let n = 0;
    let replaced = false;
    let yieldedAt = performance.now();
    try {
      for await (const p of source) {
        onEach(p);
        batch.push(p);
        n++;
        // A buffered file stream hands over rows as microtasks, never giving I/O a turn: without this the
        // judge probe sent as reading starts reached the server only once a large input was mostly read.
        if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          yieldedAt = performance.now();
        }
        // Stryker disable next-line all: the batch size bounds memory only; any batching inserts the same rows
        if (batch.length >= batchSize) {
          insertBatch(batch);
          batch = [];
        }
      }
      insertBatch(batch);
      beforeReplace();
      // In place there was nothing to replace (no predictions, so no failures either; the population is
      // rewritten with the preparation).
      if (!inPlace) {
        this.db.pragma('journal_mode = WAL');
        this.db.transaction(() => {
          this.clearPredictions();
          this.db.exec(`INSERT INTO main.predictions (${PREDICTION_COLUMNS}) SELECT ${PREDICTION_COLUMNS} FROM temp.next_predictions`);
        })();
      }
      replaced = true;
    } finally {
      if (inPlace && !replaced) this.db.exec('DELETE FROM predictions');
      if (!inPlace) this.db.exec('DROP TABLE IF EXISTS temp.next_predictions');
    }
    return n;
  }

  private clearPredictions(): void {
    this.db.exec('DELETE FROM failures; DELETE FROM population; DELETE FROM predictions;');
  }

  private insertPrediction(p: Prediction, table = 'main.predictions'): void {
    this.statement(
      `INSERT INTO ${table} (${PREDICTION_COLUMNS}) VALUES (${PREDICTION_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
    ).run(
      predictionKey(p),
      p.dataset,
      p.exampleId,
      p.model,
      p.inputText,
      p.outputText,
      p.score ?? 0,
      p.correctAnswer ?? null,
      JSON.stringify(p.metadata),
      p.source.file,
      p.source.line,
      p.analysable === false ? 0 : 1,
      p.graderNote ?? null,
      p.finishReason ?? null,
      p.score === undefined ? 0 : 1,
      p.unanalysableReason ?? null,
    );
  }

  *predictions(): IterableIterator<Prediction> {
    const stmt = this.db.prepare('SELECT * FROM predictions ORDER BY dataset, example_id, model');
    for (const row of stmt.iterate() as IterableIterator<PredictionRow>) yield rowToPrediction(row);
  }

  predictionsOf(dataset: string, exampleId: string): Prediction[] {
    const rows = this.statement('SELECT * FROM predictions WHERE dataset = ? AND example_id = ? ORDER BY model').all(dataset, exampleId);
    return (rows as PredictionRow[]).map(rowToPrediction);
  }

  /** Replaces the sampled failures (in their order) and the population counts. */
  savePreparation(failures: readonly SavedFailure[], population: PopulationStats[]): void {
    const insertPopulation = this.db.prepare(
      'INSERT INTO population (dataset, model, predictions, failures, sampled, threshold, unanalysable, unscored) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      // No per-prediction flag is written: which predictions failed follows from the population's
      // thresholds (example-outcomes.ts), and rewriting every prediction row took 20 s at 100,000 failures.
      this.db.exec('DELETE FROM failures; DELETE FROM population;');
      this.appendFailures(failures, 0);
      for (const p of population) {
        insertPopulation.run(p.dataset, p.model, p.predictions, p.failures, p.sampled, p.threshold, p.unanalysable, p.unscored);
      }
    })();
  }

  /** Adds sampled failures after those saved, the first at `firstPosition` in the saved order. */
  appendFailures(failures: readonly SavedFailure[], firstPosition: number): void {
    const insert = this.statement('INSERT INTO failures (id, prediction_key, threshold, position) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      failures.forEach((f, i) => {
        insert.run(f.id, predictionKey(f), f.threshold, firstPosition + i);
      });
    })();
  }

  /** Sampled failures in their saved order, without texts (see failures()). */
  failureRefs(): FailureRef[] {
    return this.db
      .prepare(
        `SELECT f.id AS id, f.threshold AS threshold, p.dataset AS dataset, p.example_id AS exampleId, p.model AS model
         FROM failures f JOIN predictions p ON p.key = f.prediction_key ORDER BY f.position`,
      )
      .all() as FailureRef[];
  }

  /** Sampled failures in their saved order; `texts: false` leaves input, output and reference empty (charts need none). */
  failures(options: { texts?: boolean } = {}): Failure[] {
    return [...this.failuresInOrder(options)];
  }

  /** The sampled failures in their saved order, one row at a time (the run's files are written from this without holding every text). */
  *failuresInOrder(options: { texts?: boolean } = {}): IterableIterator<Failure> {
    this.flushWrites();
    const columns =
      options.texts === false
        ? `p.key, p.dataset, p.example_id, p.model, '' AS input_text, '' AS output_text, p.score, NULL AS correct_answer, p.metadata,
           p.source_file, p.source_line, p.analysable, p.grader_note`
        : 'p.*';
    const rows = this.db
      .prepare(
        `SELECT f.id AS id, f.threshold AS threshold, ${columns} FROM failures f JOIN predictions p ON p.key = f.prediction_key ORDER BY f.position`,
      )
      .iterate() as IterableIterator<PredictionRow & { id: string; threshold: number }>;
    for (const r of rows) yield asFailure(rowToPrediction(r), r.id, r.threshold);
  }

  /** Metadata keys of the sampled failures, sorted: the extra columns of the errors table. */
  failureMetadataKeys(): string[] {
    const keys = new Set<string>();
    const rows = this.db.prepare('SELECT p.metadata AS metadata FROM failures f JOIN predictions p ON p.key = f.prediction_key').iterate();
    for (const row of rows as IterableIterator<{ metadata: string }>)
      for (const key of Object.keys(JSON.parse(row.metadata))) keys.add(key);
    return [...keys].sort();
  }

  /** The reference pool read from the database, one example at a time (texts never all in memory). */
  referencePool(thresholds: Readonly<Record<string, number>>): ReferencePool {
    return {
      allFor: (dataset, exampleId) => this.predictionsOf(dataset, exampleId),
      correctFor: (dataset, exampleId) => this.predictionsOf(dataset, exampleId).filter((p) => isReference(p, thresholds)),
    };
  }

  population(): PopulationStats[] {
    // A read-only database written before the column existed: recount from the predictions.
    const unanalysable = hasColumn(this.db, 'population', 'unanalysable')
      ? 'unanalysable'
      : hasColumn(this.db, 'predictions', 'analysable')
        ? UNANALYSABLE_FROM_PREDICTIONS
        : '0';
    // Unscored predictions were not counted apart before the column existed.
    const unscored = hasColumn(this.db, 'population', 'unscored') ? 'unscored' : '0';
    return this.db
      .prepare(
        `SELECT dataset, model, predictions, failures, sampled, threshold, ${unanalysable} AS unanalysable, ${unscored} AS unscored
         FROM population ORDER BY dataset, model`,
      )
      .all() as PopulationStats[];
  }

  // ---- findings ---------------------------------------------------------
  replaceFindings(byFailure: Map<string, Finding[]>): void {
    this.flushWrites();
    const insert = this.db.prepare(
      'INSERT INTO findings (failure_id, detector, family, title, summary, evidence, mechanical, confidence, verified, precision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.exec('DELETE FROM findings');
      for (const [failureId, list] of byFailure)
        for (const f of list)
          insert.run(
            failureId,
            f.detector,
            f.family,
            f.title,
            f.summary,
            f.evidence,
            f.mechanical ? 1 : 0,
            f.confidence,
            f.verified ? 1 : 0,
            f.precision,
          );
    })();
  }

  clearFindings(): void {
    this.flushWrites();
    this.db.exec('DELETE FROM findings');
  }

  /** Queues one failure's findings (see write). */
  putFindings(failureId: string, list: readonly Finding[]): void {
    // Stryker disable next-line ConditionalExpression: queuing an empty list writes nothing either
    if (list.length === 0) return;
    const insert = this.statement(
      'INSERT INTO findings (failure_id, detector, family, title, summary, evidence, mechanical, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.write(() => {
      for (const f of list) insert.run(failureId, f.detector, f.family, f.title, f.summary, f.evidence, f.mechanical ? 1 : 0, f.confidence);
    });
  }

  findings(): Map<string, Finding[]> {
    this.flushWrites();
    const rows = this.db.prepare('SELECT * FROM findings ORDER BY failure_id, confidence DESC, detector').all() as {
      failure_id: string;
      detector: string;
      family: Finding['family'];
      title: string;
      summary: string;
      evidence: string;
      mechanical: number;
      confidence: number;
      verified?: number;
      precision?: string;
    }[];
    const out = new Map<string, Finding[]>();
    for (const r of rows) {
      const list = out.get(r.failure_id) ?? [];
      list.push({
        detector: r.detector,
        family: r.family,
        title: r.title,
        summary: r.summary,
        evidence: r.evidence,
        mechanical: r.mechanical === 1,
        confidence: r.confidence,
        verified: r.verified === 1,
        precision: r.precision ?? '',
      });
      out.set(r.failure_id, list);
    }
    return out;
  }

  // ---- analyses -----------------------------------------------------------
  /** Analyses are derived (the call cache is the truth), so each run starts them afresh. */
  clearAnalyses(): void {
    this.flushWrites();
    // The taxonomy places analyses: it goes with them, so a killed rerun never leaves a tree of stale ids.
    this.db.exec('DELETE FROM analyses; DELETE FROM analysis_failures; DELETE FROM assignments; DELETE FROM taxonomy_nodes;');
  }

  /** Each failure is recorded once per run (clearAnalyses runs first), as an analysis or as a failure to analyse. */
  putAnalysis(a: Analysis): void {
    this.write(() => this.insertAnalysis(a));
  }

  private insertAnalysis(a: Analysis): void {
    this.statement(
      `INSERT INTO analyses (failure_id, source, judge, criteria, has_error, error_title, error_summary, detector, fixed_path)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (failure_id) DO UPDATE SET source = excluded.source, judge = excluded.judge, criteria = excluded.criteria,
           has_error = excluded.has_error, error_title = excluded.error_title, error_summary = excluded.error_summary,
           detector = excluded.detector, fixed_path = excluded.fixed_path`,
    ).run(
      a.failureId,
      a.source,
      a.judge,
      JSON.stringify(a.criteria),
      a.hasError ? 1 : 0,
      a.errorTitle,
      a.errorSummary,
      a.detector ?? null,
      a.fixedPath ? JSON.stringify(a.fixedPath) : null,
    );
  }

  putAnalysisFailure(f: AnalysisFailure): void {
    const insert = this.statement(
      'INSERT INTO analysis_failures (failure_id, reason) VALUES (?, ?) ON CONFLICT (failure_id) DO UPDATE SET reason = excluded.reason',
    );
    this.write(() => insert.run(f.failureId, f.reason));
  }

  /** Every analysis; `criteria: false` leaves their criteria empty (charts read none, and parsing them is most of the cost). */
  analyses(options: { criteria?: boolean } = {}): Analysis[] {
    this.flushWrites();
    const criteria = options.criteria === false ? "'[]' AS criteria" : 'criteria';
    const rows = this.db
      .prepare(
        `SELECT failure_id, source, judge, ${criteria}, has_error, error_title, error_summary, detector, fixed_path FROM analyses ORDER BY failure_id`,
      )
      .all() as {
      failure_id: string;
      source: Analysis['source'];
      judge: string;
      criteria: string;
      has_error: number;
      error_title: string;
      error_summary: string;
      detector: string | null;
      fixed_path: string | null;
    }[];
    return rows.map((r) => ({
      failureId: r.failure_id,
      source: r.source,
      judge: r.judge,
      criteria: JSON.parse(r.criteria),
      hasError: r.has_error === 1,
      errorTitle: r.error_title,
      errorSummary: r.error_summary,
      detector: r.detector ?? undefined,
      fixedPath: r.fixed_path ? (JSON.parse(r.fixed_path) as string[]) : undefined,
    }));
  }

  /** Each analysis's criteria in the failures' saved order, one at a time (a run keeps none in memory). */
  *criteriaInOrder(): IterableIterator<readonly [failureId: string, criteria: Criterion[]]> {
    this.flushWrites();
    const rows = this.db
      .prepare(
        'SELECT a.failure_id AS id, a.criteria AS criteria FROM failures f JOIN analyses a ON a.failure_id = f.id ORDER BY f.position',
      )
      .iterate() as IterableIterator<{ id: string; criteria: string }>;
    for (const r of rows) yield [r.id, JSON.parse(r.criteria) as Criterion[]];
  }

  analysisFailures(): AnalysisFailure[] {
    this.flushWrites();
    const rows = this.db.prepare('SELECT failure_id, reason FROM analysis_failures ORDER BY failure_id').all() as {
      failure_id: string;
      reason: string;
    }[];
    return rows.map((r) => ({ failureId: r.failure_id, reason: r.reason }));
  }

  // ---- judge call cache -------------------------------------------------
  callCache(): CallCache {
    const get = this.db.prepare('SELECT * FROM judge_calls WHERE key = ?');
    const put = this.db.prepare(
      `INSERT INTO judge_calls (key, task, judge, response, input_tokens, output_tokens, cost_usd, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET task = excluded.task, judge = excluded.judge, response = excluded.response,
         input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd, created_at = excluded.created_at`,
    );
    const queued = this.queuedCalls;
    const write = (run: () => void) => this.write(run);
    return {
      get(key: string): CachedCall | undefined {
        const waiting = queued.get(key);
        if (waiting) return waiting;
        const r = get.get(key) as
          | {
              task: CachedCall['task'];
              judge: string;
              response: string;
              input_tokens: number;
              output_tokens: number;
              cost_usd: number | null;
            }
          | undefined;
        if (!r) return undefined;
        return {
          task: r.task,
          judge: r.judge,
          response: JSON.parse(r.response),
          usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
          costUsd: r.cost_usd ?? undefined,
        };
      },
      put(key: string, call: CachedCall): void {
        const createdAt = new Date().toISOString();
        queued.set(key, call);
        write(() => {
          queued.delete(key);
          put.run(
            key,
            call.task,
            call.judge,
            JSON.stringify(call.response),
            call.usage.inputTokens,
            call.usage.outputTokens,
            call.costUsd ?? null,
            createdAt,
          );
        });
      },
    };
  }

  /** USD paid for the answers in the call cache (answers whose price was known). */
  paidUsd(): number {
    this.flushWrites();
    return (this.db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM judge_calls').get() as { usd: number }).usd;
  }

  countCalls(): number {
    this.flushWrites();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM judge_calls').get() as { n: number }).n;
  }

  // ---- stage results ------------------------------------------------------
  getStage<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM stage_results WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  putStage(key: string, stage: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO stage_results (key, stage, value) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, stage, JSON.stringify(value));
  }

  // ---- taxonomy -----------------------------------------------------------
  saveTaxonomy(root: TaxonomyNode, assignments: Assignment[]): void {
    const insertNode = this.db.prepare(
      'INSERT INTO taxonomy_nodes (id, parent_id, name, description, depth, position) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertAssignment = this.db.prepare('INSERT INTO assignments (failure_id, leaf_id, path) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM taxonomy_nodes; DELETE FROM assignments;');
      const walk = (node: TaxonomyNode, parentId: string | null, position: number) => {
        insertNode.run(node.id, parentId, node.name, node.description, node.depth, position);
        node.children.forEach((c, i) => {
          walk(c, node.id, i);
        });
      };
      walk(root, null, 0);
      for (const a of assignments) insertAssignment.run(a.failureId, a.leafId, JSON.stringify(a.path));
    })();
  }

  assignments(): Assignment[] {
    const rows = this.db.prepare('SELECT * FROM assignments ORDER BY failure_id').all() as {
      failure_id: string;
      leaf_id: string;
      path: string;
    }[];
    return rows.map((r) => ({ failureId: r.failure_id, leafId: r.leaf_id, path: JSON.parse(r.path) as string[] }));
  }
}
