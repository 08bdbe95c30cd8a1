import type { RunStore } from './run-store.js';

/** One sampled failure as the viewer lists it, straight from the run database. */
export interface FailureListRow {
  id: string;
  dataset: string;
  model: string;
  exampleId: string;
  score: number;
  threshold: number;
  /** The analysis's error title, or "" when there is none. */
  title: string;
  /** Leaf node id, or "" when not placed. */
  leaf: string;
  /** 1 error found, 0 no error found, null not analysed. */
  hasError: number | null;
  /** Why the analysis could not be made, when it could not. */
  reason: string | null;
}

/** Which failures a viewer page shows: every condition given must hold. */
export interface FailureFilter {
  /** Leaf node ids the failure must be filed under (a node's subtree); undefined for no condition. */
  leafIds?: ReadonlySet<string>;
  model?: string;
  dataset?: string;
  /** Text found in the title, summary, input, output or example id (case-insensitive for ASCII). */
  text?: string;
}

export interface FailureTexts {
  inputText: string;
  outputText: string;
  correctAnswer: string | null;
  metadata: string;
  summary: string | null;
  judge: string | null;
  source: string | null;
  criteria: string | null;
  path: string | null;
}

export interface FindingRow {
  detector: string;
  family: string;
  title: string;
  summary: string;
  evidence: string;
  /** The detector's measured precision in words; empty for runs made before it was recorded. */
  precision: string;
}

const FROM = `FROM failures f JOIN predictions p ON p.key = f.prediction_key
  LEFT JOIN analyses an ON an.failure_id = f.id
  LEFT JOIN analysis_failures af ON af.failure_id = f.id
  LEFT JOIN assignments asg ON asg.failure_id = f.id`;

const ROW_SQL = `SELECT f.id AS id, p.dataset AS dataset, p.model AS model, p.example_id AS exampleId, p.score AS score,
  f.threshold AS threshold, COALESCE(an.error_title, '') AS title, COALESCE(asg.leaf_id, '') AS leaf,
  an.has_error AS hasError, af.reason AS reason, f.position AS position ${FROM}`; // position: ordering only

function whereClause(filter: FailureFilter): { clause: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.leafIds) {
    where.push('asg.leaf_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify([...filter.leafIds]));
  }
  if (filter.model) {
    where.push('p.model = ?');
    args.push(filter.model);
  }
  if (filter.dataset) {
    where.push('p.dataset = ?');
    args.push(filter.dataset);
  }
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const fields = ['an.error_title', 'an.error_summary', 'p.input_text', 'p.output_text', 'p.example_id'];
    where.push(`(${fields.map((f) => `${f} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    args.push(...fields.map(() => like));
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', args };
}

/**
 * The failures a filter selects: their total and one page of rows. Rows are in sample order, or, given
 * `leafOrder` (leaf ids, first shown first), by the rank of their leaf there, then model, then sample order;
 * failures under no listed leaf come last.
 */
export function failurePage(
  store: RunStore,
  filter: FailureFilter,
  offset: number,
  limit: number,
  leafOrder?: readonly string[],
): { total: number; rows: FailureListRow[] } {
  const { clause, args } = whereClause(filter);
  const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM (${ROW_SQL} ${clause})`).get(...args) as { n: number }).n;
  const rows = leafOrder
    ? (store.db
        .prepare(
          `SELECT r.* FROM (${ROW_SQL} ${clause}) r LEFT JOIN (SELECT value AS leaf, key AS rank FROM json_each(?)) o ON o.leaf = r.leaf
           ORDER BY o.rank IS NULL, o.rank, r.model, r.position LIMIT ? OFFSET ?`,
        )
        .all(...args, JSON.stringify(leafOrder), limit, offset) as FailureListRow[])
    : (store.db.prepare(`${ROW_SQL} ${clause} ORDER BY f.position LIMIT ? OFFSET ?`).all(...args, limit, offset) as FailureListRow[]);
  return { total, rows };
}

/** The sampled failures of one example, each with its analysis's source (null when not analysed). */
export function exampleFailureRows(store: RunStore, dataset: string, exampleId: string): (FailureListRow & { source: string | null })[] {
  return store.db
    .prepare(`SELECT r.*, an2.source AS source FROM (${ROW_SQL} WHERE p.dataset = ? AND p.example_id = ?) r
      LEFT JOIN analyses an2 ON an2.failure_id = r.id ORDER BY r.model`)
    .all(dataset, exampleId) as (FailureListRow & { source: string | null })[];
}

export function failureRow(store: RunStore, id: string): FailureListRow | undefined {
  return store.db.prepare(`${ROW_SQL} WHERE f.id = ?`).get(id) as FailureListRow | undefined;
}

export function failureTexts(store: RunStore, id: string): FailureTexts | undefined {
  return store.db
    .prepare(`SELECT p.input_text AS inputText, p.output_text AS outputText, p.correct_answer AS correctAnswer, p.metadata AS metadata,
      an.error_summary AS summary, an.judge AS judge, an.source AS source, an.criteria AS criteria, asg.path AS path ${FROM} WHERE f.id = ?`)
    .get(id) as FailureTexts | undefined;
}

export function findingRows(store: RunStore, id: string): FindingRow[] {
  // SELECT *: a database written before findings.precision existed has no such column.
  const rows = store.db.prepare('SELECT * FROM findings WHERE failure_id = ? ORDER BY confidence DESC, detector').all(id) as (Omit<
    FindingRow,
    'precision'
  > & { precision?: string })[];
  return rows.map(({ detector, family, title, summary, evidence, precision }) => ({
    detector,
    family,
    title,
    summary,
    evidence,
    precision: precision ?? '',
  }));
}

/** Every (model, dataset) pair with a sampled failure, and how many failures were sampled. */
export function sampledGroups(store: RunStore): { groups: { model: string; dataset: string }[]; failureCount: number } {
  const groups = store.db
    .prepare('SELECT DISTINCT p.model AS model, p.dataset AS dataset FROM failures f JOIN predictions p ON p.key = f.prediction_key')
    .all() as { model: string; dataset: string }[];
  const failureCount = (store.db.prepare('SELECT COUNT(*) AS n FROM failures').get() as { n: number }).n;
  return { groups, failureCount };
}
