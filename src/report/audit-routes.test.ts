import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MadeRun, makeRunDir } from '../../test/support/make-run-dir.js';
import { leafPaths } from '../audit/category-paths.js';
import { loadReviews } from '../store/review-queries.js';
import { loadRunData } from '../store/run-data.js';
import { RunStore } from '../store/run-store.js';
import { AUDIT_TOKEN_HEADER, AuditService, type AuditSessionView } from './audit-routes.js';
import { createViewApp, RunQueries, startViewServer } from './view-server.js';

const TEMPLATE = '<html><head></head><body><script type="application/json" id="errormap-data">__ERRORMAP_DATA__</script></body></html>';

let tmp: string;
let run: MadeRun;
let queries: RunQueries;
let audit: AuditService;
let app: ReturnType<typeof createViewApp>;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-audit-routes-'));
  run = makeRunDir(join(tmp, 'run'), { failures: 80, signatures: false });
  queries = new RunQueries(run.dir);
  audit = new AuditService(loadRunData(run.dir), { size: 10, seed: 5, mode: 'blind' });
  app = createViewApp(queries, TEMPLATE, { audit });
});
afterAll(() => {
  audit.close();
  queries.close();
  rmSync(tmp, { recursive: true, force: true });
});

const HOST = '127.0.0.1:4321';
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(`http://${HOST}${path}`, {
    method: 'POST',
    headers: { host: HOST, 'content-type': 'application/json', [AUDIT_TOKEN_HEADER]: audit.token, ...headers },
    body: JSON.stringify(body),
  });
}

describe('audit routes of the served viewer', () => {
  it('refuses to serve audit mode on a non-loopback address', () => {
    expect(() => startViewServer(run.dir, { host: '0.0.0.0', audit: { size: 5, mode: 'blind' } })).toThrow(/only on a loopback address/);
  });

  it('embeds the session token and mode in the page', async () => {
    const page = await (await app.request(`http://${HOST}/`, { headers: { host: HOST } })).text();
    expect(page).toContain(`<meta name="errormap-audit" content="${audit.token} blind" />`);
  });

  it('refuses GET, a missing or wrong token, a foreign Host, another Origin and a non-JSON body', async () => {
    expect((await app.request(`http://${HOST}/api/audit/stats`, { headers: { host: HOST } })).status).toBe(405);
    expect((await post('/api/audit/stats', {}, { [AUDIT_TOKEN_HEADER]: '' })).status).toBe(403);
    expect((await post('/api/audit/stats', {}, { [AUDIT_TOKEN_HEADER]: 'a'.repeat(48) })).status).toBe(403);
    expect((await post('/api/audit/stats', {}, { host: 'evil.example:4321' })).status).toBe(403);
    expect((await post('/api/audit/stats', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/audit/stats', {}, { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await post('/api/audit/stats', {})).status).toBe(200);
  });

  it('records a valid review beside the judge’s answer, which stays unchanged', async () => {
    const session = (await (await post('/api/audit/session', { reviewer: 'dana' })).json()) as AuditSessionView;
    expect(session.items).toHaveLength(10);
    expect(session.mode).toBe('blind');
    const id = session.items[0];
    const leaf = leafPaths(run.taxonomy)[1];
    const analysesBefore = analysesOf(run.dir);
    const response = await post('/api/audit/review', {
      failureId: id,
      reviewer: 'dana',
      mode: 'blind',
      verdict: 'partly',
      humanPath: leaf.ids,
      judgeAcceptable: false,
      note: '<b>not bold</b>',
      seconds: 12.5,
    });
    expect(response.status).toBe(200);
    const stored = loadReviews(run.dir).filter((r) => r.failureId === id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ reviewer: 'dana', verdict: 'partly', humanPath: leaf.ids, note: '<b>not bold</b>', seconds: 12.5 });
    expect(stored[0].judgePath).toEqual(loadRunData(run.dir).failures.find((f) => f.id === id)?.path);
    expect(analysesOf(run.dir)).toEqual(analysesBefore);
    expect(await (await post('/api/audit/reviewers', {})).json()).toEqual({ reviewers: ['dana'] });
    // Resuming: the session now returns the review.
    const again = (await (await post('/api/audit/session', { reviewer: 'dana' })).json()) as AuditSessionView;
    expect(again.reviews.map((r) => r.failureId)).toEqual([id]);
  });

  it('checks every field: unknown failure, a path that is not a leaf, a bad verdict, extra fields, a bad name', async () => {
    const session = (await (await post('/api/audit/session', { reviewer: 'dana' })).json()) as AuditSessionView;
    const base = { failureId: session.items[1], reviewer: 'dana', mode: 'blind', verdict: 'accept' };
    const notSampled = run.failureIds.find((f) => !session.items.includes(f));
    expect((await post('/api/audit/review', { ...base, failureId: notSampled })).status).toBe(400);
    expect((await post('/api/audit/review', { ...base, humanPath: [run.taxonomy.children[0].id] })).status).toBe(400);
    expect((await post('/api/audit/review', { ...base, verdict: 'maybe' })).status).toBe(400);
    expect((await post('/api/audit/review', { ...base, admin: true })).status).toBe(400);
    expect((await post('/api/audit/review', { ...base, reviewer: '' })).status).toBe(400);
    expect((await post('/api/audit/review', { ...base, verdict: undefined })).status).toBe(400);
    expect((await post('/api/audit/session', { reviewer: 'a\u0007b' })).status).toBe(400);
    expect(loadReviews(run.dir).filter((r) => r.failureId === session.items[1])).toHaveLength(0);
  });

  it('serves a sampled failure with other models’ correct answers, and nothing outside the sample', async () => {
    const session = (await (await post('/api/audit/session', { reviewer: 'dana' })).json()) as AuditSessionView;
    const item = await post('/api/audit/item', { id: session.items[2] });
    expect(item.status).toBe(200);
    const body = (await item.json()) as { detail: { id: string }; others: { model: string }[] };
    expect(body.detail.id).toBe(session.items[2]);
    const notSampled = run.failureIds.find((f) => !session.items.includes(f));
    expect((await post('/api/audit/item', { id: notSampled })).status).toBe(404);
  });
});

function analysesOf(dir: string): unknown[] {
  const store = RunStore.open(dir, { readonly: true });
  try {
    return store.analyses();
  } finally {
    store.close();
  }
}
