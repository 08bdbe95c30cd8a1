import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Review, ReviewMode, Verdict } from '../contracts/review.js';
import { runFile } from './run-dir.js';
import { RunStore } from './run-store.js';

interface ReviewRow {
  failure_id: string;
  reviewer: string;
  reviewed_at: string;
  mode: string;
  verdict: string | null;
  human_path: string | null;
  judge_acceptable: number | null;
  note: string;
  judge_path: string;
  judge_title: string;
  seconds: number | null;
}

/**
 * Appends human reviews in one transaction. Reviews live in their own table and are only ever added:
 * the judge's analyses and assignments are never touched, and a later review of the same failure by the
 * same reviewer supersedes the earlier one without deleting it.
 */
export function appendReviews(db: Database.Database, reviews: readonly Review[]): void {
  const insert = db.prepare(`INSERT INTO reviews
    (failure_id, reviewer, reviewed_at, mode, verdict, human_path, judge_acceptable, note, judge_path, judge_title, seconds)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of reviews)
      insert.run(
        r.failureId,
        r.reviewer,
        r.reviewedAt,
        r.mode,
        r.verdict ?? null,
        r.humanPath ? JSON.stringify(r.humanPath) : null,
        r.judgeAcceptable === undefined ? null : r.judgeAcceptable ? 1 : 0,
        r.note,
        JSON.stringify(r.judgePath),
        r.judgeTitle,
        r.seconds ?? null,
      );
  })();
}

/** Every review in the order recorded; none when the database predates the reviews table. */
export function readReviews(db: Database.Database): Review[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reviews'").get();
  if (!exists) return [];
  const rows = db.prepare('SELECT * FROM reviews ORDER BY id').all() as ReviewRow[];
  return rows.map((r) => ({
    failureId: r.failure_id,
    reviewer: r.reviewer,
    reviewedAt: r.reviewed_at,
    mode: r.mode as ReviewMode,
    verdict: (r.verdict ?? undefined) as Verdict | undefined,
    humanPath: r.human_path ? (JSON.parse(r.human_path) as string[]) : undefined,
    judgeAcceptable: r.judge_acceptable === null ? undefined : r.judge_acceptable === 1,
    note: r.note,
    judgePath: JSON.parse(r.judge_path) as string[],
    judgeTitle: r.judge_title,
    seconds: r.seconds ?? undefined,
  }));
}

/** The reviews of a run directory (read-only; none when the run has no database yet). */
export function loadReviews(dir: string): Review[] {
  if (!existsSync(runFile(dir, 'database'))) return [];
  const store = RunStore.open(dir, { readonly: true });
  try {
    return readReviews(store.db);
  } finally {
    store.close();
  }
}

/** Appends reviews to a run directory's database (opened for writing just for this). */
export function saveReviews(dir: string, reviews: readonly Review[]): void {
  const store = RunStore.open(dir);
  try {
    appendReviews(store.db, reviews);
  } finally {
    store.close();
  }
}
