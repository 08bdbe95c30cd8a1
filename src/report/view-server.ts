import { type AddressInfo, isIP } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { buildAuditOverview } from '../audit/audit-overview.js';
import { auditSeedOf } from '../audit/audit-seed.js';
import { compareModels } from '../chart/compare.js';
import { findNoiseCandidates } from '../chart/noise.js';
import { computeProfiles, type DatasetProfile } from '../chart/profiles.js';
import { computeSignatures, DEFAULT_GROUPINGS, type SignatureRow } from '../chart/signatures.js';
import type { Criterion } from '../contracts/analysis.js';
import type { RunRecord } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ConfigError, ErrormapError, fromSystemError } from '../errors.js';
import { type ExampleOutcome, loadExampleOutcomes } from '../store/example-outcomes.js';
import {
  exampleFailureRows,
  type FailureListRow,
  failurePage,
  failureRow,
  failureTexts,
  findingRows,
  sampledGroups,
} from '../store/failure-queries.js';
import { loadReviews } from '../store/review-queries.js';
import { loadRunData, type RunData, runDataFromStore } from '../store/run-data.js';
import { readFinishedRecord, readRunJson } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { AUDIT_META_NAME, type AuditOptions, AuditService, isLoopbackHost, registerAuditRoutes } from './audit-routes.js';
import { buildExampleView, referenceSettings } from './example-view.js';
import { heatmapFromSignatures } from './heatmap.js';
import { contentSecurityPolicy, injectData, readViewerTemplate } from './html-report.js';
import type {
  CompareResult,
  ExampleView,
  FailureDetail,
  FailurePage,
  FailureQuery,
  FailureRow,
  FailureStatus,
  NoiseView,
  Overview,
} from './view-data.js';
import {
  boundComparison,
  boundNoise,
  buildSummary,
  failureFilter,
  leafOrder,
  NOISE_SERVER_LIMIT,
  PAGE_SIZE,
  toViewTree,
} from './view-data.js';

const MAX_PAGE = 500;

function toRow(r: FailureListRow): FailureRow {
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
  private readonly record: RunRecord;
  private readonly taxonomy: TaxonomyNode;

  constructor(readonly runDir: string) {
    // The same checked reader every command uses: status, format version and shape of the run record.
    this.record = readFinishedRecord(runDir);
    this.taxonomy = readRunJson(runDir, 'taxonomy') as TaxonomyNode;
    this.store = RunStore.open(runDir, { readonly: true });
    const population = this.store.population();
    const { groups, failureCount } = sampledGroups(this.store);
    const summary = buildSummary({ dir: runDir, record: this.record, population }, failureCount);
    for (const g of groups) {
      if (!summary.models.includes(g.model)) summary.models.push(g.model);
      if (!summary.datasets.includes(g.dataset)) summary.datasets.push(g.dataset);
    }
    this.overview = {
      mode: 'server',
      summary,
      taxonomy: toViewTree(this.taxonomy),
      heatmap: heatmapFromSignatures(this.signatureRows()),
    };
  }

  /** The run's signature rows as written at the end of the run, or the same rows computed from the run when it is missing or unreadable (it is derived). */
  private signatureRows(): SignatureRow[] {
    try {
      const parsed = readRunJson(this.runDir, 'signaturesJson') as { rows?: SignatureRow[] };
      if (Array.isArray(parsed.rows)) return parsed.rows;
    } catch (e) {
      if (!ErrormapError.isInstance(e)) throw e;
    }
    return computeSignatures(this.runData(), { groupings: DEFAULT_GROUPINGS });
  }

  private loaded?: RunData;
  /** The whole run in memory, loaded on first need (profiles, noise, signatures of runs without a signatures file). */
  private runData(): RunData {
    this.loaded ??= runDataFromStore(this.store, this.record, this.taxonomy);
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
    this.outcomes ??= loadExampleOutcomes(this.runDir);
    this.noiseCache ??= boundNoise(findNoiseCandidates(this.runData(), this.outcomes), NOISE_SERVER_LIMIT);
    return this.noiseCache;
  }

  close(): void {
    this.store.close();
  }

  failures(query: FailureQuery): FailurePage {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? PAGE_SIZE)));
    this.leafRanking ??= leafOrder(this.overview.taxonomy);
    const page = failurePage(this.store, failureFilter(query, this.overview.taxonomy), offset, limit, this.leafRanking);
    return { total: page.total, offset, rows: page.rows.map(toRow) };
  }

  private leafRanking?: string[];

  /** Every model's output on one example, with its sampled failures; undefined when the run has no such example. */
  example(dataset: string, exampleId: string): ExampleView | undefined {
    const failures = exampleFailureRows(this.store, dataset, exampleId).map((r) => ({
      ...toRow(r),
      // The report's list title: the analysis's, else the first detector finding's.
      title: r.title || findingRows(this.store, r.id)[0]?.title || '',
      threshold: r.threshold,
      source: r.source ?? undefined,
    }));
    return buildExampleView(this.store.predictionsOf(dataset, exampleId), failures, referenceSettings(this.record.settings));
  }

  private outcomes?: ExampleOutcome[];
  private readonly comparisons = new Map<string, CompareResult>();

  /** Two models compared at a depth as `errormap compare` does (computed once per pair and depth). */
  compare(modelA: string, modelB: string, depth: number): CompareResult {
    const key = `${modelA}\u0000${modelB}\u0000${depth}`;
    let result = this.comparisons.get(key);
    if (!result) {
      this.outcomes ??= loadExampleOutcomes(this.runDir);
      try {
        result = { comparison: boundComparison(compareModels(this.runData(), this.outcomes, { modelA, modelB, depth })) };
      } catch (e) {
        if (!ErrormapError.isInstance(e)) throw e;
        result = { error: e.message };
      }
      this.comparisons.set(key, result);
    }
    return result;
  }

  failure(id: string): FailureDetail | undefined {
    const row = failureRow(this.store, id);
    const text = failureTexts(this.store, id);
    if (!row || !text) return undefined;
    const findings = findingRows(this.store, id);
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

/** A whole number query parameter within [min, max]; undefined when absent, an error message when not one. */
function intParam(name: string, value: string | undefined, min: number, max: number): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    return `query parameter "${name}" must be a whole number from ${min} to ${max}`;
  }
  return Number(value);
}

const MAX_OFFSET = 1_000_000_000;

/**
 * Which Host headers the server answers: a page on another domain that rebinds its name to 127.0.0.1
 * (DNS rebinding) sends its own name as Host and is refused. Accepted: "localhost", an IP literal, or the
 * --host name given, each with the bound port when one is given.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port?: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim());
  if (!match) return false;
  const name = match[1].toLowerCase();
  const givenPort = match[2] === undefined ? 80 : Number(match[2]);
  if (port !== undefined && givenPort !== port) return false;
  const bare = name.replace(/^\[|\]$/g, '');
  return name === 'localhost' || isIP(bare) !== 0 || bare === boundHost.toLowerCase().replace(/^\[|\]$/g, '');
}

export interface ViewAppOptions {
  /** The address the server listens on (default 127.0.0.1), for the Host check. */
  host?: string;
  /** The port it listens on; when given, a Host header naming another port is refused. */
  port?: () => number | undefined;
  /** Audit mode: the review routes and the session token in the page. */
  audit?: AuditService;
}

function openAudit(runDir: string, options: Omit<AuditOptions, 'seed'> & { seed?: number }): AuditService {
  const run = loadRunData(runDir);
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

/** The viewer app and its JSON API for one run; testable without a socket through `app.request()`. */
export function createViewApp(queries: RunQueries, template = readViewerTemplate(), options: ViewAppOptions = {}): Hono {
  const page = withAuditMeta(injectData(template, null), options.audit);
  const csp = contentSecurityPolicy(template, true);
  const app = new Hono();
  app.use('*', async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!hostAllowed(host, options.host ?? '127.0.0.1', options.port?.())) {
      return c.json({ error: `Host "${host.slice(0, 200)}" is not this viewer's address` }, 403);
    }
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
    const offset = intParam('offset', q.offset, 0, MAX_OFFSET);
    const limit = intParam('limit', q.limit, 1, MAX_PAGE);
    for (const bad of [offset, limit]) if (typeof bad === 'string') return c.json({ error: bad }, 400);
    return c.json(
      queries.failures({
        node: q.node,
        model: q.model,
        dataset: q.dataset,
        q: q.q,
        offset: offset as number | undefined,
        limit: limit as number | undefined,
      }),
    );
  });
  app.get('/api/example', (c) => {
    const { dataset, example } = c.req.query();
    if (!dataset || example === undefined) return c.json({ error: 'query parameters "dataset" and "example" are required' }, 400);
    const view = queries.example(dataset, example);
    return view ? c.json(view) : c.json({ error: 'not found' }, 404);
  });
  app.get('/api/compare', (c) => {
    const { a, b, depth } = c.req.query();
    const level = intParam('depth', depth, 1, 20);
    if (typeof level === 'string') return c.json({ error: level }, 400);
    if (!a || !b) return c.json({ error: 'query parameters "a" and "b" are required' }, 400);
    return c.json(queries.compare(a, b, level ?? 1));
  });
  app.get('/api/failures/:id', (c) => {
    const detail = queries.failure(c.req.param('id'));
    return detail ? c.json(detail) : c.json({ error: 'not found' }, 404);
  });
  if (options.audit) registerAuditRoutes(app, options.audit, (id) => queries.failure(id));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  // Never a stack to the client: the message goes to the server's log, the client learns only that it failed.
  app.onError((e, c) => {
    process.stderr.write(`errormap view: ${c.req.path}: ${e.message}\n`);
    return c.json({ error: 'the request could not be answered' }, 500);
  });
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
  const audit = options.audit ? openAudit(runDir, options.audit) : undefined;
  let boundPort: number | undefined;
  const app = createViewApp(queries, readViewerTemplate(), { host, port: () => boundPort, audit });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, (info: AddressInfo) => {
      boundPort = info.port;
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
      reject(fromSystemError(e, `cannot serve on ${host}:${options.port ?? 0}`) ?? e);
    });
  });
}
