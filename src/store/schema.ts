/**
 * Tables of the run database. Every stage writes its results as they finish, so a kill loses nothing finished.
 * predictions.scored = 0 marks a prediction with no usable score: its score column holds 0 only because the
 * column is NOT NULL in databases written before, so every query of scores must ask for scored = 1 (failed is 0).
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS predictions (
  key TEXT PRIMARY KEY,
  dataset TEXT NOT NULL,
  example_id TEXT NOT NULL,
  model TEXT NOT NULL,
  input_text TEXT NOT NULL,
  output_text TEXT NOT NULL,
  score REAL NOT NULL,
  correct_answer TEXT,
  metadata TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_line INTEGER NOT NULL,
  analysable INTEGER NOT NULL DEFAULT 1,
  grader_note TEXT,
  finish_reason TEXT,
  scored INTEGER NOT NULL DEFAULT 1,
  unanalysable_reason TEXT
);
CREATE INDEX IF NOT EXISTS predictions_example ON predictions (dataset, example_id);
CREATE TABLE IF NOT EXISTS failures (
  id TEXT PRIMARY KEY,
  prediction_key TEXT NOT NULL REFERENCES predictions (key),
  threshold REAL NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS population (
  dataset TEXT NOT NULL,
  model TEXT NOT NULL,
  predictions INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  sampled INTEGER NOT NULL,
  threshold REAL NOT NULL,
  unanalysable INTEGER NOT NULL DEFAULT 0,
  unscored INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dataset, model)
);
CREATE TABLE IF NOT EXISTS findings (
  failure_id TEXT NOT NULL,
  detector TEXT NOT NULL,
  family TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  evidence TEXT NOT NULL,
  mechanical INTEGER NOT NULL,
  confidence REAL NOT NULL,
  verified INTEGER NOT NULL DEFAULT 0,
  precision TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (failure_id, detector)
);
CREATE TABLE IF NOT EXISTS analyses (
  failure_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  judge TEXT NOT NULL,
  criteria TEXT NOT NULL,
  has_error INTEGER NOT NULL,
  error_title TEXT NOT NULL,
  error_summary TEXT NOT NULL,
  detector TEXT,
  fixed_path TEXT
);
CREATE TABLE IF NOT EXISTS analysis_failures (
  failure_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS judge_calls (
  key TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  judge TEXT NOT NULL,
  response TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stage_results (
  key TEXT PRIMARY KEY,
  stage TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS taxonomy_nodes (
  id TEXT PRIMARY KEY,
  parent_id TEXT,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  depth INTEGER NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
  failure_id TEXT PRIMARY KEY,
  leaf_id TEXT NOT NULL,
  path TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  failure_id TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  mode TEXT NOT NULL,
  verdict TEXT,
  human_path TEXT,
  judge_acceptable INTEGER,
  note TEXT NOT NULL,
  judge_path TEXT NOT NULL,
  judge_title TEXT NOT NULL,
  seconds REAL
);
CREATE INDEX IF NOT EXISTS reviews_failure ON reviews (failure_id, reviewer);
`;

/**
 * A population row's unanalysable failures recounted from its predictions (prepare's rule: analysable = 0
 * and score below the threshold). Run databases written before population.unanalysable existed get it this
 * way: filled in when opened for writing, computed on the fly when opened read-only.
 */
export const UNANALYSABLE_FROM_PREDICTIONS = `(SELECT COUNT(*) FROM predictions r
  WHERE r.dataset = population.dataset AND r.model = population.model AND r.analysable = 0 AND r.score < population.threshold)`;
