import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Criterion } from '../analyze/analysis.js';
import { buildAuditOverview } from '../audit/audit-overview.js';
import { auditSeedOf } from '../audit/audit-seed.js';
import { findNoiseCandidates } from '../chart/noise.js';
import { computeProfiles, type DatasetProfile } from '../chart/profiles.js';
import { computeSignatures, DEFAULT_GROUPINGS, type SignatureRow } from '../chart/signatures.js';
import { ConfigError, ErrormapError } from '../errors.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadReviews } from '../store/review-queries.js';
import { loadRunData, RUN_FILE, type RunData, TAXONOMY_FILE } from '../store/run-data.js';
import type { RunRecord } from '../store/run-record.js';
import { RunStore } from '../store/run-store.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';
import { AUDIT_META_NAME, type AuditOptions, AuditService, isLoopbackHost, registerAuditRoutes } from './audit-routes.js';
import { contentSecurityPolicy, injectData, readViewerTemplate } from './html-report.js';
import { SIGNATURES_JSON } from './signature-files.js';
import type { FailureDetail, FailurePage, FailureQuery, FailureRow, FailureStatus, NoiseView, Overview } from './view-data.js';
import { boundNoise, buildSummary, heatmapFromSignatures, NOISE_SERVER_LIMIT, PAGE_SIZE, subtreeIds, toViewTree } from './view-data.js';

const MAX_PAGE = 500;

const ROW_SQL = `SELECT f.id AS id, p.dataset AS dataset, p.model AS model, p.example_id AS exampleId, p.score AS score,
  f.threshold AS threshold, COALESCE(an.error_title, '') AS title, COALESCE(asg.leaf_id, '') AS leaf,
  an.has_error AS hasError, af.reason AS reason
  FROM failures f JOIN predictions p ON p.key = f.prediction_key
  LEFT JOIN analyses an ON an.failure_id = f.id
  LEFT JOIN analysis_failures af ON af.failure_id = f.id
  LEFT JOIN assignments asg ON asg.failure_id = f.id`;

interface RowRecord extends Omit<FailureRow, 'status'> {
  hasError: number | null;
  reason: string | null;
}

function toRow(r: RowRecord): FailureRow {
  const status: FailureStatus = r.hasError === null ? (r.reason ? 'unanalysed' : 'pending') : r.hasError === 1 ? 'error' : 'no-error';
  return {
    id: r.id,
    dataset: r.dataset,
    model: r.model,
    exampleId: r.exampleId,
    score: r.score,
    threshold: r.threshold,
    title: r.title,
    leaf: r.leaf,
    status,
  };
}

/** Reads a run's database for the viewer API: the overview once, failure pages and details per request. */
export class RunQueries {
  readonly overview: Overview;
  private readonly store: RunStore;

  constructor(readonly runDir: string) {
    let record: RunRecord;
    let taxonomy: TaxonomyNode;
    try {
      record = JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8')) as RunRecord;
      taxonomy = JSON.parse(readFileSync(join(runDir, TAXONOMY_FILE), 'utf8')) as TaxonomyNode;
      this.store = RunStore.open(runDir, { readonly: true });
    } catch (e) {
      throw new ErrormapError('RUN_INVALID', `${runDir}: not a finished errormap run directory (${(e as Error).message})`, { cause: e });
    }
    const db = this.store.db;
    const population = this.store.population();
    const groups = db
      .prepare(`SELECT DISTINCT p.model AS model, p.dataset AS dataset FROM failures f JOIN predictions p ON p.key = f.prediction_key`)
      .all() as { model: string; dataset: string }[];
    const failureCount = (db.prepare('SELECT COUNT(*) AS n FROM failures').get() as { n: number }).n;
    const summary = buildSummary({ dir: runDir, record, population }, failureCount);
    for (const g of groups) {
      if (!summary.models.includes(g.model)) summary.models.push(g.model);
      if (!summary.datasets.includes(g.dataset)) summary.datasets.push(g.dataset);
    }
    this.overview = {
      mode: 'server',
      summary,
      taxonomy: toViewTree(taxonomy),
      heatmap: heatmapFromSignatures(this.signatureRows()),
    };
  }

  /** The run's signatures.json (written at the end of `errormap run`), or the same rows computed from the run. */
  private signatureRows(): SignatureRow[] {
    const file = join(this.runDir, SIGNATURES_JSON);
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { rows?: SignatureRow[] };
      if (Array.isArray(parsed.rows)) return parsed.rows;
    }
    return computeSignatures(this.runData(), { groupings: DEFAULT_GROUPINGS });
  }

  private loaded?: RunData;
  /** The whole run in memory, loaded on first need (profiles, noise, signatures of runs without signatures.json). */
  private runData(): RunData {
    this.loaded ??= loadRunData(this.runDir);
    return this.loaded;
  }

  private profileCache?: DatasetProfile[];
  /** Benchmark profiles, computed on first request (they need every failure's path in memory). */
  profiles(): DatasetProfile[] {
    this.profileCache ??= computeProfiles(this.runData());
    return this.profileCache;
  }

  private noiseCache?: NoiseView;
  /** Suspected benchmark noise, computed on first request (it reads every prediction's outcome). */
  noise(): NoiseView {
    this.noiseCache ??= boundNoise(findNoiseCandidates(this.runData(), loadExampleOutcomes(this.runDir)), NOISE_SERVER_LIMIT);
    return this.noiseCache;
  }

  close(): void {
    this.store.close();
  }

  failures(query: FailureQuery): FailurePage {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.node && query.node !== this.overview.taxonomy.id) {
      const ids = subtreeIds(this.overview.taxonomy, query.node) ?? new Set<string>();
      where.push('asg.leaf_id IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify([...ids]));
    }
    if (query.model) {
      where.push('p.model = ?');
      args.push(query.model);
    }
    if (query.dataset) {
      where.push('p.dataset = ?');
      args.push(query.dataset);
    }
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(an.error_title LIKE ? ESCAPE '\\' OR an.error_summary LIKE ? ESCAPE '\\' OR p.input_text LIKE ? ESCAPE '\\' OR p.output_text LIKE ? ESCAPE '\\' OR p.example_id LIKE ? ESCAPE '\\')",
      );
      args.push(like, like, like, like, like);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? PAGE_SIZE)));
    const db = this.store.db;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${ROW_SQL} ${clause})`).get(...args) as { n: number }).n;
    const rows = db.prepare(`${ROW_SQL} ${clause} ORDER BY f.position LIMIT ? OFFSET ?`).all(...args, limit, offset) as RowRecord[];
    return { total, offset, rows: rows.map(toRow) };
  }

  failure(id: string): FailureDetail | undefined {
    const db = this.store.db;
    const row = db.prepare(`${ROW_SQL} WHERE f.id = ?`).get(id) as RowRecord | undefined;
    if (!row) return undefined;
    const text = db
      .prepare(`SELECT p.input_text AS inputText, p.output_text AS outputText, p.correct_answer AS correctAnswer, p.metadata AS metadata,
        an.error_summary AS summary, an.judge AS judge, an.source AS source, an.criteria AS criteria, asg.path AS path
        FROM failures f JOIN predictions p ON p.key = f.prediction_key
        LEFT JOIN analyses an ON an.failure_id = f.id LEFT JOIN assignments asg ON asg.failure_id = f.id WHERE f.id = ?`)
      .get(id) as {
      inputText: string;
      outputText: string;
      correctAnswer: string | null;
      metadata: string;
      summary: string | null;
      judge: string | null;
      source: string | null;
      criteria: string | null;
      path: string | null;
    };
    const findings = db
      .prepare('SELECT detector, family, title, summary, evidence FROM findings WHERE failure_id = ? ORDER BY confidence DESC, detector')
      .all(id) as FailureDetail['findings'];
    const base = toRow(row);
    return {
      ...base,
      title: base.title || findings[0]?.title || '',
      inputText: text.inputText,
      outputText: text.outputText,
      correctAnswer: text.correctAnswer ?? undefined,
      metadata: JSON.parse(text.metadata) as Record<string, string>,
      summary: text.summary ?? '',
      judge: text.judge ?? undefined,
      source: text.source ?? undefined,
      criteria: text.criteria ? (JSON.parse(text.criteria) as Criterion[]) : [],
      findings,
      analysisError: row.reason ?? undefined,
      path: text.path ? (JSON.parse(text.path) as string[]) : [],
    };
  }
}

function openAudit(queries: RunQueries, options: Omit<AuditOptions, 'seed'> & { seed?: number }): AuditService {
  const run = loadRunData(queries.runDir);
  return new AuditService(run, { ...options, seed: auditSeedOf(run.record.settings, options.seed) });
}

/** The page with the audit session's token and mode in a meta tag (hex and a fixed word: nothing to escape). */
function withAuditMeta(page: string, audit: AuditService | undefined): string {
  if (!audit) return page;
  const meta = `<meta name="${AUDIT_META_NAME}" content="${audit.token} ${audit.options.mode}" />`;
  return page.replace('<head>', () => `<head>\n    ${meta}`);
}

/** The overview with the run's audit figures as they stand now (reviews are added while the viewer runs). */
function withAuditOverview(overview: Overview, runDir: string): Overview {
  const seed = auditSeedOf(overview.summary.record.settings);
  return { ...overview, audit: buildAuditOverview(overview.taxonomy, loadReviews(runDir), seed) };
}

function intParam(value: string | undefined): number | undefined {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
}

/** The viewer app and its JSON API for one run; testable without a socket through `app.request()`. */
export function createViewApp(queries: RunQueries, template = readViewerTemplate(), audit?: AuditService): Hono {
  const page = withAuditMeta(injectData(template, null), audit);
  const csp = contentSecurityPolicy(template, true);
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
  });
  app.get('/', (c) => c.html(page));
  app.get('/index.html', (c) => c.html(page));
  app.get('/api/overview', (c) => c.json(withAuditOverview(queries.overview, queries.runDir)));
  app.get('/api/profiles', (c) => c.json(queries.profiles()));
  app.get('/api/noise', (c) => c.json(queries.noise()));
  app.get('/api/failures', (c) => {
    const q = c.req.query();
    return c.json(
      queries.failures({
        node: q.node,
        model: q.model,
        dataset: q.dataset,
        q: q.q,
        offset: intParam(q.offset),
        limit: intParam(q.limit),
      }),
    );
  });
  app.get('/api/failures/:id', (c) => {
    const detail = queries.failure(c.req.param('id'));
    return detail ? c.json(detail) : c.json({ error: 'not found' }, 404);
  });
  if (audit) registerAuditRoutes(app, audit, (id) => queries.failure(id));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

/** Serves a run on host:port (default 127.0.0.1 and a free port); with `audit`, the review routes too (loopback only). */
export function startViewServer(
  runDir: string,
  options: { host?: string; port?: number; audit?: Omit<AuditOptions, 'seed'> & { seed?: number } } = {},
): Promise<ViewServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.audit && !isLoopbackHost(host))
    throw new ConfigError(`--audit writes to the run: it serves only on a loopback address, not ${host}`);
  const queries = new RunQueries(runDir);
  const audit = options.audit ? openAudit(queries, options.audit) : undefined;
  const app = createViewApp(queries, readViewerTemplate(), audit);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, (info: AddressInfo) => {
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              audit?.close();
              queries.close();
              done();
            });
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.on('error', (e) => {
      audit?.close();
      queries.close();
      reject(e);
    });
  });
}
