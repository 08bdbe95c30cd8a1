import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { auditSample } from '../audit/audit-sample.js';
import { type AuditStats, computeAuditStats } from '../audit/audit-stats.js';
import { categoryLookup, type LeafPath } from '../audit/category-paths.js';
import { latestPerReviewer } from '../audit/latest-reviews.js';
import { type Review, ReviewerName, ReviewInput } from '../audit/review.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ConfigError } from '../errors.js';
import { isScored } from '../ingest/prediction.js';
import { appendReviews, readReviews } from '../store/review-queries.js';
import type { FailureView } from '../store/run-data.js';
import { RunStore } from '../store/run-store.js';
import type { FailureDetail } from './view-data.js';

/** The header carrying the per-session token the served page embeds (a cross-site page cannot read it). */
export const AUDIT_TOKEN_HEADER = 'x-errormap-token';
/** The meta tag the served page gets in audit mode; the viewer reads the token and the mode from it. */
export const AUDIT_META_NAME = 'errormap-audit';

export type AuditMode = 'blind' | 'open';

export interface AuditOptions {
  size: number;
  seed: number;
  mode: AuditMode;
}

/** Another model's correct answer to the same example, shown as a reference. */
export interface OtherAnswer {
  model: string;
  output: string;
}

export interface AuditSessionView {
  reviewer: string;
  mode: AuditMode;
  seed: number;
  /** The sample, in presentation order. */
  items: string[];
  categories: LeafPath[];
  /** This reviewer's latest review of each sampled failure (for resuming). */
  reviews: Review[];
  stats: AuditStats;
}

export interface AuditItemView {
  detail: FailureDetail;
  others: OtherAnswer[];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The host name of a Host header value ("127.0.0.1:8123" → "127.0.0.1", "[::1]:80" → "[::1]"). */
function hostName(header: string): string {
  const m = /^(\[[^\]]*\]|[^:]+)(?::\d+)?$/.exec(header.trim().toLowerCase());
  return m ? m[1] : '';
}

/**
 * The writing half of `errormap view --audit`: a seeded sample, the reviewer's session, reviews appended to the
 * run database. Every route is POST with a JSON body and the session token; requests must name a loopback
 * Host (against DNS rebinding) and, when the browser sends an Origin, the same one.
 */
export class AuditService {
  readonly token = randomBytes(24).toString('hex');
  private readonly store: RunStore;
  private readonly sample: FailureView[];
  private readonly byId: Map<string, FailureView>;
  private readonly lookup;

  constructor(
    private readonly run: { dir: string; taxonomy: TaxonomyNode; failures: readonly FailureView[] },
    readonly options: AuditOptions,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.sample = auditSample(run.failures, options.size, options.seed);
    this.byId = new Map(this.sample.map((f) => [f.id, f]));
    this.lookup = categoryLookup(run.taxonomy);
    this.store = RunStore.open(run.dir);
  }

  close(): void {
    this.store.close();
  }

  reviews(): Review[] {
    return readReviews(this.store.db);
  }

  stats(): AuditStats {
    return computeAuditStats(this.run.taxonomy, this.reviews(), { seed: this.options.seed });
  }

  /** Everyone who has reviewed this run, the most recent first (the page offers the first as the default name). */
  reviewers(): string[] {
    const latest = new Map<string, string>();
    for (const r of this.reviews()) if ((latest.get(r.reviewer) ?? '') < r.reviewedAt) latest.set(r.reviewer, r.reviewedAt);
    return [...latest].sort((a, b) => (a[1] < b[1] ? 1 : -1)).map(([name]) => name);
  }

  session(reviewer: string): AuditSessionView {
    const mine = latestPerReviewer(this.reviews()).filter((r) => r.reviewer === reviewer && this.byId.has(r.failureId));
    return {
      reviewer,
      mode: this.options.mode,
      seed: this.options.seed,
      items: this.sample.map((f) => f.id),
      categories: this.lookup.leaves,
      reviews: mine,
      stats: this.stats(),
    };
  }

  others(failure: FailureView): OtherAnswer[] {
    return this.store
      .predictionsOf(failure.dataset, failure.exampleId)
      .filter((p) => p.model !== failure.model && isScored(p) && p.score >= failure.threshold)
      .map((p) => ({ model: p.model, output: p.outputText }));
  }

  inSample(id: string): FailureView | undefined {
    return this.byId.get(id);
  }

  /** Checks a posted review against the sample and the taxonomy, then appends it with the judge's values. */
  record(input: ReviewInput): Review | string {
    const failure = this.byId.get(input.failureId);
    if (!failure) return `failure "${input.failureId}" is not in the audit sample`;
    if (input.humanPath && !this.lookup.isLeafPath(input.humanPath)) return 'humanPath is not a leaf path of this taxonomy';
    if (!input.verdict && !input.humanPath) return 'a review needs a verdict or a category';
    const review: Review = {
      failureId: failure.id,
      reviewer: input.reviewer,
      reviewedAt: this.now(),
      mode: input.mode,
      verdict: input.verdict,
      humanPath: input.humanPath,
      judgeAcceptable: input.judgeAcceptable,
      note: input.note,
      judgePath: failure.path,
      judgeTitle: failure.analysis?.errorTitle ?? '',
      seconds: input.seconds,
    };
    appendReviews(this.store.db, [review]);
    return review;
  }

  /** Whether a request may use the audit routes: loopback Host, same Origin if any, the session token. */
  allows(headers: { host?: string; origin?: string; token?: string }): string | undefined {
    if (!headers.host || !isLoopbackHost(hostName(headers.host))) return 'Host must be a loopback address';
    if (headers.origin && headers.origin !== `http://${headers.host}`) return 'cross-origin request';
    const given = Buffer.from(headers.token ?? '');
    const expected = Buffer.from(this.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'missing or wrong session token';
    return undefined;
  }
}

async function jsonBody(c: Context): Promise<unknown> {
  if (!(c.req.header('content-type') ?? '').startsWith('application/json')) throw new ConfigError('expected application/json');
  return c.req.json();
}

/** The audit routes under /api/audit/: POST only, token, loopback Host; every body validated. */
export function registerAuditRoutes(app: Hono, audit: AuditService, detail: (id: string) => FailureDetail | undefined): void {
  app.use('/api/audit/*', async (c, next) => {
    if (c.req.method !== 'POST') return c.json({ error: 'POST only' }, 405, { Allow: 'POST' });
    const refused = audit.allows({ host: c.req.header('host'), origin: c.req.header('origin'), token: c.req.header(AUDIT_TOKEN_HEADER) });
    if (refused) return c.json({ error: refused }, 403);
    try {
      await jsonBody(c);
    } catch {
      return c.json({ error: 'the body must be JSON (application/json)' }, 400);
    }
    await next();
  });
  app.post('/api/audit/session', async (c) => {
    const parsed = ReviewerName.safeParse(((await c.req.json()) as { reviewer?: unknown }).reviewer);
    if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? 'invalid reviewer' }, 400);
    return c.json(audit.session(parsed.data));
  });
  app.post('/api/audit/reviewers', (c) => c.json({ reviewers: audit.reviewers() }));
  app.post('/api/audit/item', async (c) => {
    const id = ((await c.req.json()) as { id?: unknown }).id;
    const failure = typeof id === 'string' ? audit.inSample(id) : undefined;
    const found = failure ? detail(failure.id) : undefined;
    if (!failure || !found) return c.json({ error: 'not in the audit sample' }, 404);
    return c.json({ detail: found, others: audit.others(failure) } satisfies AuditItemView);
  });
  app.post('/api/audit/review', async (c) => {
    const parsed = ReviewInput.safeParse(await c.req.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json({ error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }, 400);
    }
    const recorded = audit.record(parsed.data);
    if (typeof recorded === 'string') return c.json({ error: recorded }, 400);
    return c.json({ review: recorded });
  });
  app.post('/api/audit/stats', (c) => c.json(audit.stats()));
}
